package io.netron.autoconfigure;

import java.time.Duration;

import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import io.netron.client.NetronPeers;
import io.netron.core.InvalidServiceException;
import io.netron.core.Netron;
import io.netron.core.NetronOptions;
import io.netron.core.TaskOverwriteStrategy;
import io.netron.transport.JdkWebSocketConnector;
import io.netron.transport.NetronWebSocketHandler;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.WebSocketHandler;

import static org.assertj.core.api.Assertions.assertThat;

class NetronAutoConfigurationTests {

	private final WebApplicationContextRunner web = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NetronAutoConfiguration.class, NetronHealthContributorAutoConfiguration.class));

	private final ApplicationContextRunner plain = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NetronAutoConfiguration.class, NetronHealthContributorAutoConfiguration.class));

	@Test
	void defaultsGiveANodeWithItsEndpointAndHealth() {
		this.web.run((context) -> {
			assertThat(context).hasSingleBean(Netron.class)
				.hasSingleBean(NetronPeers.class)
				.hasSingleBean(NetronLifecycle.class)
				.hasSingleBean(NetronWebSocketHandler.class)
				.hasBean("netronHandlerMapping")
				.hasSingleBean(NetronHealthIndicator.class);
			NetronOptions options = context.getBean(Netron.class).options();
			assertThat(options.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
			assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
			assertThat(options.taskTimeout()).isEqualTo(Duration.ofSeconds(5));
			assertThat(options.taskOverwriteStrategy()).isEqualTo(TaskOverwriteStrategy.REPLACE);
			assertThat(options.allowServiceEvents()).isFalse();
			assertThat(options.includeStackFrames()).isFalse();
			assertThat(options.maxMessageSize()).isEqualTo(64 * 1024 * 1024);
			assertThat(options.reconnect()).isEqualTo(NetronOptions.Reconnect.defaults());
			assertThat(options.id()).hasSize(36);
		});
	}

	@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
	@org.springframework.context.annotation.ComponentScan("io.netron.autoconfigure.scanned")
	static class ScanningConfiguration {

	}

	@Test
	void componentScanningSkipsSubServiceTypesSoTheyNeedNotBeBeans() {
		this.plain.withUserConfiguration(ScanningConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(io.netron.autoconfigure.scanned.ScannedServices.Shelf.class)
				.doesNotHaveBean(io.netron.autoconfigure.scanned.ScannedServices.Book.class);
			Netron netron = context.getBean(Netron.class);
			assertThat(netron.localPeer().serviceNames()).containsExactly("shelf@1.0.0");
		});
	}

	@Test
	void propertiesBindToTheNodeOptions() {
		this.web
			.withPropertyValues("netron.id=node-a", "netron.request-timeout=2s", "netron.connect-timeout=750ms",
					"netron.task-timeout=1s", "netron.task-overwrite-strategy=throw", "netron.allow-service-events=true",
					"netron.errors.include-stack-frames=true", "netron.server.max-message-size=1MB",
					"netron.reconnect.max-attempts=4", "netron.reconnect.max-delay=10s")
			.run((context) -> {
				NetronOptions options = context.getBean(Netron.class).options();
				assertThat(options.id()).isEqualTo("node-a");
				assertThat(options.requestTimeout()).isEqualTo(Duration.ofSeconds(2));
				assertThat(options.connectTimeout()).isEqualTo(Duration.ofMillis(750));
				assertThat(options.taskTimeout()).isEqualTo(Duration.ofSeconds(1));
				assertThat(options.taskOverwriteStrategy()).isEqualTo(TaskOverwriteStrategy.THROW);
				assertThat(options.allowServiceEvents()).isTrue();
				assertThat(options.includeStackFrames()).isTrue();
				assertThat(options.maxMessageSize()).isEqualTo(1024 * 1024);
				assertThat(options.reconnect().maxAttempts()).isEqualTo(4);
				assertThat(options.reconnect().maxDelay()).isEqualTo(Duration.ofSeconds(10));
			});
	}

	@Test
	void backsOffFromUserBeans() {
		this.web.withUserConfiguration(UserNetron.class).run((context) -> {
			assertThat(context).hasSingleBean(Netron.class);
			assertThat(context.getBean(Netron.class).id()).isEqualTo("user-node");
		});
	}

	@Test
	void serverCanBeTurnedOff() {
		this.web.withPropertyValues("netron.server.enabled=false").run((context) -> {
			assertThat(context).hasSingleBean(Netron.class).doesNotHaveBean(NetronWebSocketHandler.class)
				.doesNotHaveBean("netronHandlerMapping");
		});
	}

	@Test
	void nonWebApplicationGetsANodeWithoutEndpoint() {
		this.plain.run((context) -> assertThat(context).hasSingleBean(Netron.class)
			.doesNotHaveBean(NetronWebSocketHandler.class));
	}

	@Test
	void withoutSpringWebSocketThereIsNoEndpoint() {
		this.web.withClassLoader(new FilteredClassLoader(WebSocketHandler.class))
			.run((context) -> assertThat(context).hasSingleBean(Netron.class).doesNotHaveBean(NetronWebSocketHandler.class));
	}

	@Test
	void theHttpOperationsJoinSpringdocsDocumentWhenSpringdocIsThereAndNothingChangesWithoutIt() {
		this.web.withUserConfiguration(ServiceConfiguration.class).withPropertyValues("netron.server.path=/rpc/").run((context) -> {
			io.swagger.v3.oas.models.OpenAPI openApi = new io.swagger.v3.oas.models.OpenAPI();
			context.getBean(org.springdoc.core.customizers.OpenApiCustomizer.class).customise(openApi);
			assertThat(openApi.getPaths()).containsOnlyKeys("/rpc/invoke/greeter@1.0.0/greet");
			assertThat(openApi.getPaths().get("/rpc/invoke/greeter@1.0.0/greet").getPost().getTags())
				.containsExactly("greeter@1.0.0");
			assertThat(openApi.getComponents().getSchemas()).containsOnlyKeys("NetronSuccess", "NetronFailure");
		});
		this.web.withClassLoader(new FilteredClassLoader("org.springdoc"))
			.run((context) -> assertThat(context).hasSingleBean(Netron.class).doesNotHaveBean("netronOpenApiCustomizer"));
		this.web.withPropertyValues("netron.http.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(Netron.class).doesNotHaveBean("netronOpenApiCustomizer"));
	}

	@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
	static class ServiceConfiguration {

		@org.springframework.context.annotation.Bean
		Greeter greeter() {
			return new Greeter();
		}

	}

	@io.netron.annotation.NetronService("greeter@1.0.0")
	static class Greeter {

		@io.netron.annotation.Public
		public String greet(String name) {
			return "Hello, " + name;
		}

	}

	@Test
	void withoutHealthSupportThereIsNoHealthIndicator() {
		this.web.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).hasSingleBean(Netron.class).doesNotHaveBean(NetronHealthIndicator.class));
	}

	@Test
	void theEndpointAndMetersComeWithTheActuatorAndGoWithoutIt() {
		ApplicationContextRunner observable = this.plain
			.withConfiguration(AutoConfigurations.of(NetronObservabilityAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=netron");
		observable.run((context) -> assertThat(context).hasSingleBean(NetronEndpoint.class)
			.hasSingleBean(NetronMeterBinder.class));
		observable.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate.endpoint",
				"io.micrometer.core"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(Netron.class)
				.doesNotHaveBean(NetronEndpoint.class)
				.doesNotHaveBean(NetronMeterBinder.class));
		observable.withPropertyValues("management.endpoint.netron.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(NetronEndpoint.class));
	}

	@Test
	void theNodeObservesWithTheApplicationsRegistryAndConventions() {
		io.micrometer.observation.tck.TestObservationRegistry registry = io.micrometer.observation.tck.TestObservationRegistry
			.create();
		this.plain.withBean(io.micrometer.observation.ObservationRegistry.class, () -> registry)
			.withBean(io.netron.observation.NetronServerObservationConvention.class,
					() -> new io.netron.observation.DefaultNetronServerObservationConvention() {

						@Override
						public String getName() {
							return "rpc.server";
						}

					})
			.run((context) -> {
				Netron netron = context.getBean(Netron.class);
				java.lang.reflect.Field field = Netron.class.getDeclaredField("observationRegistry");
				field.setAccessible(true);
				assertThat(field.get(netron)).isSameAs(registry);
				java.lang.reflect.Field convention = Netron.class.getDeclaredField("serverObservationConvention");
				convention.setAccessible(true);
				assertThat(((io.netron.observation.NetronServerObservationConvention) convention.get(netron)).getName())
					.isEqualTo("rpc.server");
			});
	}

	@Test
	void healthIndicatorCanBeDisabled() {
		this.web.withPropertyValues("management.health.netron.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(NetronHealthIndicator.class));
	}

	@Test
	void discoveryIsOffUnlessEnabledAndBacksOffWithoutRedis() {
		ApplicationContextRunner withRedis = this.plain.withConfiguration(AutoConfigurations.of(
				NetronDiscoveryAutoConfiguration.class,
				org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration.class));
		withRedis.run((context) -> assertThat(context).doesNotHaveBean(io.netron.discovery.ServiceDiscovery.class));
		withRedis.withPropertyValues("netron.discovery.enabled=true", "netron.discovery.heartbeat-interval=2s")
			.run((context) -> {
				assertThat(context).hasSingleBean(io.netron.discovery.ServiceDiscovery.class)
					.hasSingleBean(io.netron.discovery.DiscoveryServiceRouter.class)
					.hasSingleBean(NetronDiscoveryLifecycle.class)
					.hasSingleBean(NetronDiscoveryHealthIndicator.class);
				assertThat(context.getBean(io.netron.discovery.ServiceDiscovery.class).options().heartbeatInterval())
					.isEqualTo(Duration.ofSeconds(2));
			});
		// no RedisConnectionFactory: discovery backs off
		this.plain.withConfiguration(AutoConfigurations.of(NetronDiscoveryAutoConfiguration.class))
			.withPropertyValues("netron.discovery.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(io.netron.discovery.ServiceDiscovery.class));
		// no spring-data-redis at all
		this.plain.withConfiguration(AutoConfigurations.of(NetronDiscoveryAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.withPropertyValues("netron.discovery.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(io.netron.discovery.ServiceDiscovery.class));
	}

	@Test
	void discoveryTtlNotLongerThanTheIntervalFailsWithWhatToChange() {
		this.plain.withConfiguration(AutoConfigurations.of(NetronDiscoveryAutoConfiguration.class,
				org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration.class))
			.withPropertyValues("netron.discovery.enabled=true", "netron.discovery.heartbeat-interval=10s",
					"netron.discovery.heartbeat-ttl=5s")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(NetronConfigurationException.class)
					.hasMessageContaining("netron.discovery.heartbeat-ttl (PT5S) must be longer");
			});
	}

	@Test
	void customizersRunOnTheNode() {
		this.web.withBean(NetronCustomizer.class, () -> (netron) -> netron.addTask("hello", (peer, args) -> "hi"))
			.run((context) -> assertThat(context.getBean(Netron.class).taskManager().taskNames()).contains("hello"));
	}

	@Test
	void invalidTimeoutFailsWithWhatToChange() {
		this.web.withPropertyValues("netron.request-timeout=0s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(NetronConfigurationException.class)
				.hasMessageContaining("requestTimeout must be a positive duration but was PT0S");
		});
	}

	@Test
	void peerWithoutUrlFailsWithWhatToChange() {
		this.web.withPropertyValues("netron.peers.calc.eager=true").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOfSatisfying(NetronConfigurationException.class, (ex) -> {
					assertThat(ex).hasMessage("Netron peer 'calc' has no valid URL (netron.peers.calc.url=null)");
					assertThat(ex.action()).contains("netron.peers.calc.url");
				});
		});
		this.web.withPropertyValues("netron.peers.calc.url=ftp://localhost:8080/netron")
			.run((context) -> assertThat(context).hasFailed());
		// http:// is the peer's HTTP transport: calls only, but a valid peer
		this.web.withPropertyValues("netron.peers.calc.url=http://localhost:8080/netron")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void clientWhosePeerIsNotConfiguredFailsAtStartup() {
		this.web.withUserConfiguration(ClientsConfiguration.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).isInstanceOf(NetronConfigurationException.class)
				.hasMessage("@NetronClient io.netron.autoconfigure.clients.CalcClient uses peer 'calc', but "
						+ "netron.peers.calc.url is not set");
		});
	}

	@Test
	void clientBeansAreLazyAndDoNotConnectAtStartup() {
		// nothing listens on port 1: startup must not try
		this.web.withUserConfiguration(ClientsConfiguration.class)
			.withPropertyValues("netron.peers.calc.url=ws://127.0.0.1:1/netron")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasBean("calcClient");
				assertThat(context.getBeanFactory().getBeanDefinition("calcClient").isLazyInit()).isTrue();
				assertThat(context.getBean(NetronPeers.class).attempted("calc")).isFalse();
			});
	}

	@Test
	void invalidServiceBeanFailsWithAnalysis() {
		this.web.withUserConfiguration(BadServiceConfiguration.class).run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			assertThat(failure).rootCause().isInstanceOf(InvalidServiceException.class);
			FailureAnalysis analysis = new NetronFailureAnalyzer().analyze(failure);
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).isEqualTo("A Netron service cannot be exposed: Invalid service name "
					+ "\"bad-name\". Only latin letters and dots are allowed.");
			assertThat(analysis.getAction()).contains("latin letters");
		});
	}

	@Test
	void configurationFailureAnalysisCarriesTheAction() {
		FailureAnalysis analysis = new NetronFailureAnalyzer()
			.analyze(new IllegalStateException(new NetronConfigurationException("broken", "fix it")));
		assertThat(analysis.getDescription()).isEqualTo("broken");
		assertThat(analysis.getAction()).isEqualTo("fix it");
	}

	@Configuration(proxyBeanMethods = false)
	static class UserNetron {

		@Bean
		Netron netron() {
			NetronOptions options = NetronOptions.defaults().withId("user-node");
			return new Netron(options, new JdkWebSocketConnector(1024, 1024));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@io.netron.annotation.EnableNetronClients(basePackageClasses = io.netron.autoconfigure.clients.CalcClient.class)
	static class ClientsConfiguration {

	}

	@NetronService("bad-name@1.0.0")
	static class BadService {

		@Public
		public int x() {
			return 1;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BadServiceConfiguration {

		@Bean
		BadService badService() {
			return new BadService();
		}

	}

}
