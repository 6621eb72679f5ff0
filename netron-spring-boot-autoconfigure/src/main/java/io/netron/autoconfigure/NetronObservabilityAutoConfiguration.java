package io.netron.autoconfigure;

import io.netron.core.Netron;
import io.netron.discovery.ServiceDiscovery;
import io.netron.transport.NetronHttpService;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * What an operator sees with the actuator: the node's meters (Micrometer) and the {@code netron}
 * endpoint. The request timers and spans come from the observations the node makes once the
 * application has an {@code ObservationRegistry} (see {@link NetronAutoConfiguration}).
 */
@AutoConfiguration(after = { NetronAutoConfiguration.class, NetronDiscoveryAutoConfiguration.class },
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnBean(Netron.class)
public final class NetronObservabilityAutoConfiguration {

	NetronObservabilityAutoConfiguration() {
	}

	/** Meters, when Micrometer is present. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.binder.MeterBinder")
	static final class Metrics {

		@Bean
		@ConditionalOnMissingBean
		NetronMeterBinder netronMeterBinder(Netron netron, ObjectProvider<ServiceDiscovery> discovery) {
			return new NetronMeterBinder(netron, discovery.getIfAvailable());
		}

		/** Netron's requests timed without a meter lookup each (Boot groups it ahead of its default). */
		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		@ConditionalOnBean(io.micrometer.core.instrument.MeterRegistry.class)
		@ConditionalOnMissingBean
		@ConditionalOnProperty(name = "netron.observations.cached-timers", matchIfMissing = true)
		NetronMeterObservationHandler netronMeterObservationHandler(io.micrometer.core.instrument.MeterRegistry registry) {
			return new NetronMeterObservationHandler(registry);
		}

	}

	/** The endpoint, when the actuator is present and the endpoint is exposed. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
	@ConditionalOnAvailableEndpoint(NetronEndpoint.class)
	static final class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		NetronEndpoint netronEndpoint(Netron netron, ObjectProvider<ServiceDiscovery> discovery,
				ObjectProvider<NetronHttpService> http, NetronProperties properties) {
			return new NetronEndpoint(netron, discovery.getIfAvailable(), http.getIfAvailable(),
					properties.getServer().getPath());
		}

	}

}
