package io.netron.core;

import java.util.List;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With a tracer behind the observations (as {@code micrometer-tracing-bridge-brave} or
 * {@code -otel} set up), a Java-to-Java call makes a span on each side, and a span the service
 * method opens is a child of the serving side's span.
 */
class TracingTests {

	private static final TestNodes nodes = new TestNodes();

	private static final SimpleTracer serverTracer = new SimpleTracer();

	private static final ObservationRegistry serverObservations = tracing(serverTracer);

	private static ConfigurableApplicationContext server;

	@BeforeAll
	static void start() {
		server = nodes.server(new Class<?>[] { Traced.class });
		TestNodes.netron(server).setObservationRegistry(serverObservations);
	}

	@AfterAll
	static void stop() throws Exception {
		nodes.close();
	}

	private static ObservationRegistry tracing(SimpleTracer tracer) {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
		return registry;
	}

	@Test
	void aCallMakesASpanOnEachSideAndTheServicesOwnSpanNestsUnderTheServingOne() {
		SimpleTracer clientTracer = new SimpleTracer();
		Netron client = nodes.client();
		client.setObservationRegistry(tracing(clientTracer));
		RemotePeer peer = client.connect(TestNodes.url(server)).join();
		assertThat(peer.queryInterface("traced@1.0.0").call("work").join()).isEqualTo("done");
		await().untilAsserted(() -> {
			SimpleSpan served = span(serverTracer.getSpans(), "netron serve call traced@1.0.0.work");
			SimpleSpan inner = span(serverTracer.getSpans(), "inner-work");
			assertThat(inner.getParentId()).isEqualTo(served.context().spanId());
			assertThat(served.getTags()).containsEntry("netron.member", "work")
				.containsEntry("outcome", "SUCCESS")
				.containsEntry("netron.peer.id", client.id());
			SimpleSpan sent = span(clientTracer.getSpans(), "netron send call traced@1.0.0.work");
			assertThat(sent.getTags()).containsEntry("netron.service", "traced@1.0.0");
		});
		peer.disconnect();
	}

	private static SimpleSpan span(java.util.Collection<SimpleSpan> spans, String name) {
		List<SimpleSpan> found = spans.stream().filter((span) -> name.equals(span.getName())).toList();
		assertThat(found).as("spans named " + name + " among " + spans.stream().map(SimpleSpan::getName).toList())
			.hasSize(1);
		return found.get(0);
	}

	@NetronService("traced@1.0.0")
	static class Traced {

		@Public
		public String work() {
			return Observation.createNotStarted("inner-work", serverObservations).observe(() -> "done");
		}

	}

}
