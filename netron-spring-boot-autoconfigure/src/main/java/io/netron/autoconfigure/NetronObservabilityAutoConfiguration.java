package io.netron.autoconfigure;

import io.netron.core.Netron;
import io.netron.discovery.ServiceDiscovery;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What an operator sees with the actuator: the node's meters (Micrometer) and the {@code netron}
 * endpoint. The request timers and spans come from the observations the node makes once the
 * application has an {@code ObservationRegistry} (see {@link NetronAutoConfiguration}).
 */
@AutoConfiguration(after = { NetronAutoConfiguration.class, NetronDiscoveryAutoConfiguration.class })
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

	}

	/** The endpoint, when the actuator is present and the endpoint is exposed. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
	@ConditionalOnAvailableEndpoint(NetronEndpoint.class)
	static final class EndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		NetronEndpoint netronEndpoint(Netron netron, ObjectProvider<ServiceDiscovery> discovery) {
			return new NetronEndpoint(netron, discovery.getIfAvailable());
		}

	}

}
