package io.netron.core;

import io.netron.NetronTestApplication;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.netron.transport.JdkWebSocketConnector;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Real nodes for tests: Spring Boot applications on random loopback ports, and plain client
 * nodes on the JDK WebSocket client. Close it to stop them all.
 */
final class TestNodes implements AutoCloseable {

	private final List<AutoCloseable> resources = new ArrayList<>();

	/** A server node serving the given {@code @NetronService} classes (and any other configuration). */
	ConfigurableApplicationContext server(Class<?>[] sources, String... properties) {
		return server(ServerApplication.class, sources, properties);
	}

	/** A server node of the given application class (one with Spring Security, for one). */
	ConfigurableApplicationContext server(Class<?> application, Class<?>[] sources, String... properties) {
		// a request line as long as Tomcat takes (ids of 6,000 characters are refused by Netron, not the server)
		List<String> all = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1",
				"server.netty.max-initial-line-length=8KB", "spring.main.banner-mode=off", "logging.level.root=WARN",
				"logging.level.io.netron=INFO"));
		all.addAll(List.of(properties));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(application).sources(sources)
			.sources(OwnReactorResources.class)
			.properties(all.toArray(new String[0]))
			.run();
		this.resources.add(0, context);
		return context;
	}

	static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	static String url(ConfigurableApplicationContext context) {
		return "ws://127.0.0.1:" + port(context) + "/netron";
	}

	/** The I/O threads of the servers: Tomcat's, or Reactor Netty's on the WebFlux stack. */
	static final String IO_THREAD = "(http-nio-|reactor-http-|webflux-http-).*";

	/** The I/O threads of the client nodes: the JDK client's, or Reactor Netty's. */
	static final String CLIENT_IO_THREAD = "(HttpClient-|reactor-http-).*";

	/** {@return the connection guard of a server's endpoint, on either stack} */
	static io.netron.transport.NetronConnectionGuard guard(ConfigurableApplicationContext context) {
		if (context.getBeanNamesForType(io.netron.transport.NetronWebSocketHandler.class).length > 0) {
			return context.getBean(io.netron.transport.NetronWebSocketHandler.class).guard();
		}
		return context.getBean(io.netron.transport.NetronReactiveWebSocketHandler.class).guard();
	}

	static Netron netron(ConfigurableApplicationContext context) {
		return context.getBean(Netron.class);
	}

	/**
	 * A client node (no server) with the given options, on the JDK's WebSocket client (Reactor
	 * Netty's with {@code -Dnetron.test.client=reactor-netty}, as the WebFlux starter's tests run).
	 */
	Netron client(NetronOptions options) {
		// -Dnetron.test.client=reactor-netty: the client nodes on Reactor Netty's WebSocket client
		Connector connector = "reactor-netty".equals(System.getProperty("netron.test.client"))
				? new io.netron.transport.ReactorNettyConnector(options.maxMessageSize(), options.sendBufferSize())
				: new JdkWebSocketConnector(options.maxMessageSize(), options.sendBufferSize());
		Netron netron = new Netron(options, connector);
		this.resources.add(0, netron);
		return netron;
	}

	/** A client node with the defaults and a short request timeout. */
	Netron client() {
		return client(NetronOptions.defaults().withRequestTimeout(Duration.ofSeconds(3))
			.withReconnect(new NetronOptions.Reconnect(true, Duration.ofMillis(100), Duration.ofMillis(400), 0)));
	}

	@Override
	public void close() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
		this.resources.clear();
	}

	/**
	 * On the WebFlux stack, each test server on event loops of its own: Reactor Netty's global ones
	 * go with the first server that stops, and with them every other server of the JVM.
	 */
	@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
	@org.springframework.boot.autoconfigure.condition.ConditionalOnClass(name = "reactor.netty.http.HttpResources")
	static class OwnReactorResources {

		@org.springframework.context.annotation.Bean
		org.springframework.http.client.ReactorResourceFactory reactorResourceFactory() {
			org.springframework.http.client.ReactorResourceFactory factory = new org.springframework.http.client.ReactorResourceFactory();
			factory.setUseGlobalResources(false);
			return factory;
		}

	}

	@NetronTestApplication
	static class ServerApplication {

	}

}
