package io.netron.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.netron.annotation.Execution;
import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import io.netron.autoconfigure.NetronCustomizer;
import io.netron.autoconfigure.NetronMeterObservationHandler;
import io.netron.protocol.Packet;
import io.netron.protocol.PacketCodec;
import io.netron.protocol.PacketType;
import io.netron.stream.NetronReadableStream;
import io.netron.stream.NetronWritableStream;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.BinaryWebSocketHandler;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

import io.netron.transport.NetronHandshakeHandler;

/**
 * The server process of the load benchmark: a Spring Boot node exposing {@code bench@1.0.0}, a
 * raw WebSocket echo at {@code /raw} on the same stack (the ceiling), and a {@code heap} task.
 * Started by {@link LoadBenchmark} with the port as argument.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class BenchServer {

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(BenchServer.class);
		String observed = observedMode(args);
		if (observed != null) {
			// what a user with the actuator gets: every request observed and timed
			application.addInitializers((context) -> context.getBeanFactory()
				.registerSingleton("observationRegistry", observations(observed)));
		}
		Map<String, Object> properties = new java.util.HashMap<>(Map.of("server.port", args[0], "server.address", "127.0.0.1",
				"spring.main.banner-mode", "off", "logging.level.root", "WARN", "netron.id", "bench-server",
				"server.tomcat.threads.max", "200", "server.tomcat.max-connections", "16000",
				"server.tomcat.accept-count", "1000", "netron.server.max-connections", "16000"));
		if (java.util.List.of(args).contains("--reactive")) {
			// WebFlux on Reactor Netty, as netron-spring-boot-starter-webflux serves (Tomcat is on this
			// class path too, for the servlet runs: its reactive server is left out)
			properties.put("spring.main.web-application-type", "reactive");
			properties.put("spring.autoconfigure.exclude",
					"org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration");
		}
		application.setDefaultProperties(properties);
		application.run();
		System.out.println("BENCH SERVER READY");
	}

	/**
	 * An observation registry for an {@code --observed*} run: {@code --observed} records timers and
	 * long-task timers as the actuator sets them up, {@code --observed-no-ltt} only timers
	 * ({@code management.metrics.observations.ignored-meters=long-task-timer}), {@code --observed-empty} runs
	 * the observations with a handler that does nothing (Netron's own instrumentation alone), and
	 * {@code --observed-netron} puts Netron's caching meter handler ahead of the default, as the
	 * auto-configuration does.
	 */
	static ObservationRegistry observations(String mode) {
		ObservationRegistry registry = ObservationRegistry.create();
		switch (mode) {
			case "--observed-empty" -> registry.observationConfig().observationHandler((context) -> true);
			case "--observed-netron" -> {
				// as Spring Boot groups the meter handlers: Netron's ahead of the default one
				SimpleMeterRegistry meters = new SimpleMeterRegistry();
				registry.observationConfig()
					.observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
							new NetronMeterObservationHandler(meters), new DefaultMeterObservationHandler(meters)));
			}
			case "--observed-no-ltt" -> registry.observationConfig()
				.observationHandler(new DefaultMeterObservationHandler(new SimpleMeterRegistry(),
						DefaultMeterObservationHandler.IgnoredMeters.LONG_TASK_TIMER));
			default -> registry.observationConfig()
				.observationHandler(new DefaultMeterObservationHandler(new SimpleMeterRegistry()));
		}
		return registry;
	}

	/** {@return the {@code --observed*} argument, or {@code null}} */
	static String observedMode(String[] args) {
		for (String arg : args) {
			if (arg.startsWith("--observed")) {
				return arg;
			}
		}
		return null;
	}

	// Bench is a @NetronService, hence a @Component: as a member class of this configuration it
	// is registered without a @Bean method

	/** Answers with the used heap after two full collections, in bytes. */
	@Bean
	NetronCustomizer heapTask() {
		return (netron) -> netron.addTask("heap", (peer, args) -> {
			for (int i = 0; i < 3; i++) {
				System.gc();
			}
			return (double) ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		});
	}

	/** The raw echo at /raw on the servlet stack. */
	@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
	@org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication(
			type = org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type.SERVLET)
	static class ServletRawEcho {

		@Bean
		SimpleUrlHandlerMapping rawEchoMapping() {
			WebSocketHttpRequestHandler handler = new WebSocketHttpRequestHandler(new RawEcho(),
					new NetronHandshakeHandler(false));
			SimpleUrlHandlerMapping mapping = new SimpleUrlHandlerMapping(Map.of("/raw", handler));
			mapping.setOrder(Ordered.HIGHEST_PRECEDENCE);
			return mapping;
		}

	}

	/** The raw echo at /raw on WebFlux and Reactor Netty: WebFlux's own WebSocket session, replying per message. */
	@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
	@org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication(
			type = org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type.REACTIVE)
	static class ReactiveRawEcho {

		@Bean
		org.springframework.web.reactive.handler.SimpleUrlHandlerMapping reactiveRawEchoMapping() {
			org.springframework.web.reactive.socket.WebSocketHandler echo = (session) -> session
				.send(session.receive().map((message) -> session.binaryMessage((factory) -> factory.wrap(RawEcho.REPLY))));
			org.springframework.web.reactive.handler.SimpleUrlHandlerMapping mapping = new org.springframework.web.reactive.handler.SimpleUrlHandlerMapping(
					Map.of("/raw", echo));
			mapping.setOrder(Ordered.HIGHEST_PRECEDENCE);
			return mapping;
		}

	}

	/** The benchmark service. */
	@NetronService("bench@1.0.0")
	public static class Bench {

		/** What a user would declare for a method that cannot block: served on the thread that read it. */
		@Public(execution = Execution.INLINE)
		public String echo(String value) {
			return value;
		}

		/** The same method with the default for a plain method, which may block: served on a worker. */
		@Public
		public String echoOnWorker(String value) {
			return value;
		}

		/** Counts the chunks of a stream the caller sends (a stream argument, client to server). */
		@Public
		public CompletableFuture<Long> count(NetronReadableStream<Integer> numbers) {
			long[] count = new long[1];
			return numbers.forEach((chunk) -> count[0]++).thenApply((ignored) -> count[0]);
		}

		@Public
		public NetronWritableStream<Integer> numbers(int n) {
			return NetronWritableStream.from(IntStream.range(0, n).boxed().iterator());
		}

	}

	/** Replies to every binary frame with an 11-byte CALL response, as the echo call does. */
	static final class RawEcho extends BinaryWebSocketHandler {

		private static final byte[] REPLY = new PacketCodec().encode(Packet.response(1, PacketType.CALL, "hello"));

		@Override
		protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) throws IOException {
			session.sendMessage(new BinaryMessage(REPLY));
		}

	}

}
