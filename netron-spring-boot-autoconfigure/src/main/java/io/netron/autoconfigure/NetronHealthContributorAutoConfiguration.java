package io.netron.autoconfigure;

import io.netron.client.NetronPeers;
import io.netron.core.FatalErrors;
import io.netron.core.Netron;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code netron} health contributor, when Spring Boot's health support is present. It is
 * not added to the liveness group: a peer being away must not restart this application.
 */
@AutoConfiguration(after = { NetronAutoConfiguration.class, NetronDiscoveryAutoConfiguration.class })
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(Netron.class)
@ConditionalOnEnabledHealthIndicator("netron")
public final class NetronHealthContributorAutoConfiguration {

	NetronHealthContributorAutoConfiguration() {
	}

	@Bean
	@ConditionalOnMissingBean(name = "netronHealthIndicator")
	NetronHealthIndicator netronHealthIndicator(Netron netron, ObjectProvider<NetronPeers> peers,
			NetronProperties properties) {
		FatalErrors.install();
		return new NetronHealthIndicator(netron, peers.getIfAvailable(),
				properties.getServer().isEnabled() ? properties.getServer().getPath() : null);
	}

	/** The {@code netronDiscovery} contributor, when discovery is on. */
	@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.data.redis.core.StringRedisTemplate")
	@ConditionalOnBean(io.netron.discovery.ServiceDiscovery.class)
	@ConditionalOnEnabledHealthIndicator("netrondiscovery")
	static final class DiscoveryHealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "netronDiscoveryHealthIndicator")
		NetronDiscoveryHealthIndicator netronDiscoveryHealthIndicator(io.netron.discovery.ServiceDiscovery discovery) {
			return new NetronDiscoveryHealthIndicator(discovery);
		}

	}

}
