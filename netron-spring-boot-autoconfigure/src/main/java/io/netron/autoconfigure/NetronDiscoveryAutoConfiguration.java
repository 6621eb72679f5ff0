package io.netron.autoconfigure;

import java.util.List;

import io.netron.core.Netron;
import io.netron.discovery.DiscoveryOptions;
import io.netron.discovery.DiscoveryServiceRouter;
import io.netron.discovery.ServiceDiscovery;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Redis service discovery when spring-data-redis is present, a {@link RedisConnectionFactory}
 * exists (the application's, from {@code spring.data.redis.*}) and
 * {@code netron.discovery.enabled=true}.
 */
@AutoConfiguration(after = NetronAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnClass(StringRedisTemplate.class)
@ConditionalOnProperty(prefix = "netron.discovery", name = "enabled", havingValue = "true")
@ConditionalOnBean({ Netron.class, RedisConnectionFactory.class })
public final class NetronDiscoveryAutoConfiguration {

	NetronDiscoveryAutoConfiguration() {
	}

	@Bean(destroyMethod = "shutdown")
	@ConditionalOnMissingBean(name = "netronDiscoveryScheduler")
	ThreadPoolTaskScheduler netronDiscoveryScheduler() {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setPoolSize(1);
		scheduler.setThreadNamePrefix("netron-discovery-");
		scheduler.setDaemon(true);
		return scheduler;
	}

	@Bean
	@ConditionalOnMissingBean(name = "netronDiscoveryListenerContainer")
	RedisMessageListenerContainer netronDiscoveryListenerContainer(RedisConnectionFactory connectionFactory) {
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(connectionFactory);
		container.setRecoveryInterval(1000);
		// started by ServiceDiscovery, which retries while Redis is away instead of failing the startup
		container.setAutoStartup(false);
		return container;
	}

	@Bean
	@ConditionalOnMissingBean
	ServiceDiscovery netronServiceDiscovery(RedisConnectionFactory connectionFactory, Netron netron,
			NetronProperties properties, ThreadPoolTaskScheduler netronDiscoveryScheduler,
			ObjectProvider<RedisMessageListenerContainer> netronDiscoveryListenerContainer) {
		NetronProperties.Discovery discovery = properties.getDiscovery();
		if (discovery.getHeartbeatInterval().isNegative() || discovery.getHeartbeatInterval().isZero()
				|| discovery.getHeartbeatTtl().compareTo(discovery.getHeartbeatInterval()) <= 0) {
			throw new NetronConfigurationException("netron.discovery.heartbeat-ttl (" + discovery.getHeartbeatTtl()
					+ ") must be longer than a positive netron.discovery.heartbeat-interval ("
					+ discovery.getHeartbeatInterval() + ")",
					"Set netron.discovery.heartbeat-interval to a positive duration and netron.discovery.heartbeat-ttl to a "
							+ "longer one (the defaults are 5s and 15s).");
		}
		StringRedisTemplate redis = new StringRedisTemplate(connectionFactory);
		String prefix = discovery.getKeyPrefix();
		DiscoveryOptions options;
		try {
			options = new DiscoveryOptions(discovery.getHeartbeatInterval(), discovery.getHeartbeatTtl(),
					discovery.isPubSubEnabled(),
					(discovery.getPubSubChannel() != null) ? discovery.getPubSubChannel() : prefix + ":events",
					discovery.isHeartbeatEvents(), prefix);
		}
		catch (IllegalArgumentException ex) {
			throw new NetronConfigurationException("Invalid netron.discovery.key-prefix: " + ex.getMessage(),
					"Set netron.discovery.key-prefix to netron:discovery (seed-era TypeScript nodes, the default) or "
							+ "titan:discovery (Titan nodes).");
		}
		@Nullable RedisMessageListenerContainer container = discovery.isPubSubEnabled()
				? netronDiscoveryListenerContainer.getIfAvailable() : null;
		return new ServiceDiscovery(redis, netron.id(), "", List.of(), options, netronDiscoveryScheduler, container);
	}

	@Bean
	@ConditionalOnMissingBean
	DiscoveryServiceRouter netronServiceRouter(ServiceDiscovery discovery, Netron netron, NetronProperties properties) {
		DiscoveryServiceRouter router = new DiscoveryServiceRouter(discovery, netron,
				properties.getDiscovery().getConnectPath(), properties.getDiscovery().getHeartbeatInterval(),
				properties.getDiscovery().getRouting(), properties.getDiscovery().getRegistryReadInterval());
		properties.getDiscovery().getServiceRouting().forEach(router::setStrategy);
		return router;
	}

	@Bean
	@ConditionalOnMissingBean
	NetronDiscoveryLifecycle netronDiscoveryLifecycle(ServiceDiscovery discovery, DiscoveryServiceRouter router,
			Netron netron, ApplicationContext context, NetronProperties properties) {
		return new NetronDiscoveryLifecycle(discovery, router, netron, context, properties);
	}

}
