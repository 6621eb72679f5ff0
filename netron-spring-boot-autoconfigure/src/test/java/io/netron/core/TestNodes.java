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
		List<String> all = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1",
				"spring.main.banner-mode=off", "logging.level.root=WARN", "logging.level.io.netron=INFO"));
		all.addAll(List.of(properties));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(application).sources(sources)
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

	static Netron netron(ConfigurableApplicationContext context) {
		return context.getBean(Netron.class);
	}

	/** A client node (no server) with the given options. */
	Netron client(NetronOptions options) {
		JdkWebSocketConnector connector = new JdkWebSocketConnector(options.maxMessageSize(), options.sendBufferSize());
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

	@NetronTestApplication
	static class ServerApplication {

	}

}
