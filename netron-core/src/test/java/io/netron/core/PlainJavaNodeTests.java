package io.netron.core;

import java.io.File;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;

import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import io.netron.transport.JdkWebSocketConnector;
import io.netron.transport.NetronHandshakeHandler;
import io.netron.transport.NetronWebSocketHandler;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;
import org.junit.jupiter.api.Test;

import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Netron without Spring Boot, as the README shows it: a serving node on an embedded Tomcat, and a
 * client-only node calling it from plain Java. Nothing of Spring Boot is on this module's class path.
 */
class PlainJavaNodeTests {

	@NetronService("greeter@1.0.0")
	public static class Greeter {

		@Public
		public String greet(String name) {
			return "Hello, " + name + "!";
		}

		@Public
		public CompletableFuture<Integer> length(String text) {
			return CompletableFuture.completedFuture(text.length());
		}

	}

	interface GreeterClient {

		String greet(String name);

		CompletableFuture<Integer> lengthAsync(String text);

	}

	@Test
	void aServingNodeAndAClientOnlyNodeWithoutSpringBoot() throws Exception {
		assertThat(PlainJavaNodeTests.class.getClassLoader().getResource("org/springframework/boot/SpringApplication.class"))
			.as("Spring Boot on the class path").isNull();
		Netron server = new Netron(NetronOptions.defaults().withId("plain-server"),
				new JdkWebSocketConnector(64 << 20, 16 << 20));
		server.exposeService(new Greeter());
		Tomcat tomcat = tomcat(server);
		try (Netron client = new Netron(NetronOptions.defaults(), new JdkWebSocketConnector(64 << 20, 16 << 20))) {
			int port = tomcat.getConnector().getLocalPort();
			RemotePeer peer = client.connect("ws://127.0.0.1:" + port + "/netron").join();
			assertThat(peer.id()).isEqualTo("plain-server");
			assertThat(peer.queryInterface("greeter@^1.0.0").call("greet", "dynamic").join()).isEqualTo("Hello, dynamic!");
			GreeterClient greeter = peer.queryInterface("greeter@^1.0.0", GreeterClient.class);
			assertThat(greeter.greet("typed")).isEqualTo("Hello, typed!");
			assertThat(greeter.lengthAsync("four").join()).isEqualTo(4);
		}
		finally {
			server.close();
			tomcat.stop();
			tomcat.destroy();
		}
	}

	/** An embedded Tomcat serving the node's endpoint at /netron, with Spring's WebSocket support only. */
	private static Tomcat tomcat(Netron netron) throws Exception {
		File base = Files.createTempDirectory("netron-tomcat").toFile();
		Tomcat tomcat = new Tomcat();
		tomcat.setBaseDir(base.getAbsolutePath());
		tomcat.setPort(0);
		tomcat.getConnector().setProperty("address", "127.0.0.1");
		Context context = tomcat.addContext("", base.getAbsolutePath());
		context.addServletContainerInitializer(new WsSci(), null);
		WebSocketHttpRequestHandler endpoint = new WebSocketHttpRequestHandler(new NetronWebSocketHandler(netron),
				new NetronHandshakeHandler(false));
		endpoint.start();
		Tomcat.addServlet(context, "netron", new HttpServlet() {

			@Override
			protected void service(HttpServletRequest request, HttpServletResponse response) throws java.io.IOException {
				try {
					endpoint.handleRequest(request, response);
				}
				catch (jakarta.servlet.ServletException ex) {
					throw new java.io.IOException(ex);
				}
			}

		});
		context.addServletMappingDecoded("/netron", "netron");
		tomcat.start();
		return tomcat;
	}

}
