package io.netron.core;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import io.netron.autoconfigure.NetronMeterBinder;
import io.netron.protocol.JsError;
import io.netron.protocol.JsErrorType;
import io.netron.protocol.Packet;
import io.netron.protocol.PacketCodec;
import io.netron.protocol.PacketType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.MDC;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * What a node shows of the requests it serves and makes, over real connections: observations on
 * both sides with their key values (success, failure, timeout, GET/SET, task), the service method
 * running inside the server observation's scope with the peer and request ids in the MDC, the WARN
 * line for an exception escaping a service, the meters moving, and the {@code netron} endpoint.
 */
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityTests {

	private static final TestNodes nodes = new TestNodes();

	private static ConfigurableApplicationContext server;

	private static TestObservationRegistry serverObservations;

	private TestObservationRegistry clientObservations;

	private Netron client;

	private RemotePeer peer;

	@BeforeAll
	static void start() {
		server = nodes.server(new Class<?>[] { Observed.class, Observations.class },
				"management.endpoints.web.exposure.include=health,netron", "management.health.redis.enabled=false");
		serverObservations = server.getBean(TestObservationRegistry.class);
	}

	@AfterAll
	static void stop() throws Exception {
		nodes.close();
	}

	@BeforeEach
	void connect() {
		server.getBean(Observed.class).release = new CountDownLatch(1);
		serverObservations.clear();
		this.clientObservations = TestObservationRegistry.create();
		this.client = nodes.client(NetronOptions.defaults().withRequestTimeout(Duration.ofMillis(700)));
		this.client.setObservationRegistry(this.clientObservations);
		this.peer = this.client.connect(TestNodes.url(server)).join();
	}

	@Test
	void aSuccessfulCallIsObservedOnBothSides() {
		assertThat(this.peer.queryInterface("observed@1.0.0").call("add", 2, 3).join()).isEqualTo(5);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(serverObservations).hasAnObservation(
				(observation) -> observation.hasNameEqualTo("netron.server.requests")
					.hasContextualNameEqualTo("netron serve call observed@1.0.0.add")
					.hasLowCardinalityKeyValue("netron.type", "call")
					.hasLowCardinalityKeyValue("netron.service", "observed@1.0.0")
					.hasLowCardinalityKeyValue("netron.member", "add")
					.hasLowCardinalityKeyValue("outcome", "SUCCESS")
					.hasLowCardinalityKeyValue("netron.error", "none")
					.hasLowCardinalityKeyValue("netron.transport", "websocket")
					.hasHighCardinalityKeyValue("netron.peer.id", this.client.id())));
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(this.clientObservations).hasAnObservation(
				(observation) -> observation.hasNameEqualTo("netron.client.requests")
					.hasContextualNameEqualTo("netron send call observed@1.0.0.add")
					.hasLowCardinalityKeyValue("netron.member", "add")
					.hasLowCardinalityKeyValue("outcome", "SUCCESS")
					.hasHighCardinalityKeyValue("netron.peer.id", TestNodes.netron(server).id())));
	}

	@Test
	void aFailedCallCarriesTheErrorNameOnBothSides() {
		assertThat(catchThrowable(() -> this.peer.queryInterface("observed@1.0.0").call("reject").join()))
			.hasRootCauseInstanceOf(RemoteInvocationException.class);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(serverObservations).hasAnObservation(
				(observation) -> observation.hasNameEqualTo("netron.server.requests")
					.hasLowCardinalityKeyValue("netron.member", "reject")
					.hasLowCardinalityKeyValue("outcome", "ERROR")
					.hasLowCardinalityKeyValue("netron.error", "RangeError")
					.hasError()));
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(this.clientObservations).hasAnObservation(
				(observation) -> observation.hasNameEqualTo("netron.client.requests")
					.hasLowCardinalityKeyValue("netron.member", "reject")
					.hasLowCardinalityKeyValue("outcome", "ERROR")
					.hasLowCardinalityKeyValue("netron.error", "RangeError")));
	}

	@Test
	void aTimeoutIsObservedAsSuch() {
		Observed observed = server.getBean(Observed.class);
		try {
			assertThat(catchThrowable(() -> this.peer.queryInterface("observed@1.0.0").call("hang").join()))
				.hasRootCauseInstanceOf(NetronTimeoutException.class);
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(this.clientObservations).hasAnObservation(
					(observation) -> observation.hasNameEqualTo("netron.client.requests")
						.hasLowCardinalityKeyValue("netron.member", "hang")
						.hasLowCardinalityKeyValue("outcome", "TIMEOUT")
						.hasLowCardinalityKeyValue("netron.error", "TimeoutError")));
		}
		finally {
			observed.release.countDown();
		}
	}

	@Test
	void propertyReadsWritesAndTasksAreObserved() {
		RemoteService service = this.peer.queryInterface("observed@1.0.0");
		service.set("level", 7).join();
		assertThat(service.get("level").join()).isEqualTo(7);
		this.peer.runTask("abilities", java.util.Map.of()).join();
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(serverObservations)
			.hasHandledContextsThatSatisfy((contexts) -> assertThat(contexts.stream()
				.filter((context) -> "netron.server.requests".equals(context.getName()))
				.map((context) -> context.getLowCardinalityKeyValue("netron.type").getValue() + " "
						+ context.getLowCardinalityKeyValue("netron.service").getValue() + " "
						+ context.getLowCardinalityKeyValue("netron.member").getValue())
				.toList()).contains("set observed@1.0.0 level", "get observed@1.0.0 level", "task none abilities")));
	}

	/**
	 * Member and task names are tag values of every meter a request makes: the names a caller made
	 * up (any string, each a new timer for good) are observed as {@code unknown}, so what a peer
	 * sends cannot grow the meter registry.
	 */
	@Test
	void namesACallerMadeUpAreObservedAsUnknown() throws Exception {
		RemoteService service = this.peer.queryInterface("observed@1.0.0");
		PacketCodec codec = new PacketCodec();
		// raw frames: a Java client refuses members the definition lacks before sending them
		try (RawWebSocket socket = new RawWebSocket(TestNodes.url(server) + "?id=raw-inventor")) {
			assertThat(socket.next()).isInstanceOf(String.class);
			for (int i = 0; i < 20; i++) {
				socket.send(codec.encode(Packet.request(2 * i + 1, PacketType.CALL,
						List.of(service.definition().id(), "made-up-" + i))));
				socket.send(codec.encode(Packet.request(2 * i + 2, PacketType.GET,
						List.of(service.definition().id(), "made-up-" + i))));
				assertThat(codec.decode((byte[]) socket.next()).isError()).isTrue();
				assertThat(codec.decode((byte[]) socket.next()).isError()).isTrue();
			}
		}
		for (int i = 0; i < 20; i++) {
			String name = "made-up-" + i;
			assertThat(catchThrowable(() -> this.peer.runTask(name).join())).isNotNull();
		}
		assertThat(service.call("add", 1, 2).join()).isEqualTo(3);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(serverObservations)
			.hasHandledContextsThatSatisfy((contexts) -> {
				List<String> observed = contexts.stream()
					.filter((context) -> "netron.server.requests".equals(context.getName()))
					.map((context) -> context.getLowCardinalityKeyValue("netron.type").getValue() + " "
							+ context.getLowCardinalityKeyValue("netron.member").getValue())
					.toList();
				assertThat(observed).noneMatch((text) -> text.contains("made-up"))
					.contains("call add", "call unknown", "get unknown", "task unknown");
				assertThat(observed.stream().filter((text) -> text.endsWith(" unknown"))).hasSize(60);
			}));
	}

	/**
	 * The name of a remote error is a tag value of the caller's {@code netron.client.requests}: a
	 * peer may answer with any, so past the first hundred a node observes others as {@code other}.
	 */
	@Test
	void errorNamesAPeerChoosesCannotGrowTheCallersMeters() {
		RemoteService service = this.peer.queryInterface("observed@1.0.0");
		for (int i = 0; i < 150; i++) {
			String name = "MadeUpError" + i;
			assertThat(catchThrowable(() -> service.call("failAs", name).join())).hasRootCauseInstanceOf(RemoteInvocationException.class);
		}
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(this.clientObservations)
			.hasHandledContextsThatSatisfy((contexts) -> {
				List<String> names = contexts.stream()
					.filter((context) -> "netron.client.requests".equals(context.getName()))
					.filter((context) -> "failAs".equals(context.getLowCardinalityKeyValue("netron.member").getValue()))
					.map((context) -> context.getLowCardinalityKeyValue("netron.error").getValue())
					.toList();
				assertThat(names).hasSize(150).contains("MadeUpError0", "MadeUpError99", "other")
					.doesNotContain("MadeUpError100", "MadeUpError149");
				assertThat(names.stream().distinct()).hasSize(101);
			}));
	}

	@Test
	void streamsAreObservedOnBothSidesWithTheirChunks() {
		io.netron.stream.NetronReadableStream<?> numbers = (io.netron.stream.NetronReadableStream<?>) this.peer
			.queryInterface("observed@1.0.0")
			.call("numbers", 3)
			.join();
		assertThat(numbers.toList().join()).hasSize(3);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(serverObservations).hasAnObservation(
				(observation) -> observation.hasNameEqualTo("netron.streams")
					.hasLowCardinalityKeyValue("netron.stream.direction", "write")
					.hasLowCardinalityKeyValue("outcome", "SUCCESS")
					.hasHighCardinalityKeyValue("netron.stream.chunks", "3")
					.hasHighCardinalityKeyValue("netron.peer.id", this.client.id())));
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(this.clientObservations).hasAnObservation(
				(observation) -> observation.hasNameEqualTo("netron.streams")
					.hasLowCardinalityKeyValue("netron.stream.direction", "read")
					.hasHighCardinalityKeyValue("netron.stream.chunks", "3")));
	}

	/**
	 * Every stream observation started ends, whatever became of the stream: left unread when its
	 * peer went, failed by its writer (STREAM_ERROR) and never read, or refused.
	 */
	@Test
	void streamObservationsEndWithTheirStreamsWhateverBecameOfThem() {
		java.util.concurrent.atomic.AtomicInteger active = new java.util.concurrent.atomic.AtomicInteger();
		serverObservations.observationConfig().observationHandler(new io.micrometer.observation.ObservationHandler<>() {

			@Override
			public void onStart(Observation.Context context) {
				active.incrementAndGet();
			}

			@Override
			public void onStop(Observation.Context context) {
				active.decrementAndGet();
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return context instanceof io.netron.observation.NetronStreamObservationContext;
			}

		});
		for (int round = 0; round < 10; round++) {
			Netron caller = nodes.client();
			RemotePeer toServer = caller.connect(TestNodes.url(server)).join();
			RemoteService observed = toServer.queryInterface("observed@1.0.0");
			// a stream the server never reads, its peer going away
			io.netron.stream.NetronWritableStream<Integer> unread = io.netron.stream.NetronWritableStream.create();
			assertThat(observed.call("ignore", unread).join()).isEqualTo("ignored");
			unread.write(1);
			// a stream its writer fails, never read either
			io.netron.stream.NetronWritableStream<Integer> failing = io.netron.stream.NetronWritableStream.create();
			assertThat(observed.call("ignore", failing).join()).isEqualTo("ignored");
			failing.write(1);
			failing.error(new IllegalStateException("writer gave up"));
			toServer.disconnect();
		}
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(active.get()).isZero());
	}

	@Test
	void theServiceMethodRunsInsideTheObservationWithThePeerAndRequestInTheMdc() {
		String seen = (String) this.peer.queryInterface("observed@1.0.0").call("whereAmI").join();
		assertThat(seen).startsWith("netron.server.requests|" + this.client.id() + "|").doesNotEndWith("|null");
	}

	@Test
	void anExceptionEscapingAServiceIsLoggedAtWarnOnceWithoutItsStack(CapturedOutput output) {
		assertThat(catchThrowable(() -> this.peer.queryInterface("observed@1.0.0").call("fail").join()))
			.hasRootCauseInstanceOf(RemoteInvocationException.class);
		assertThat(catchThrowable(() -> this.peer.queryInterface("observed@1.0.0").call("reject").join()))
			.hasRootCauseInstanceOf(RemoteInvocationException.class);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(output.getOut())
			.contains("WARN", "observed@1.0.0.fail failed for peer " + this.client.id(),
					"java.lang.IllegalStateException: boom (stack trace at DEBUG)"));
		assertThat(output.getOut()).doesNotContain("observed@1.0.0.reject failed")
			.doesNotContain("at io.netron.core.ObservabilityTests$Observed.fail");
	}

	@Test
	void callsOverHttpAreObservedWithTheirTransport() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + TestNodes.port(server) + "/netron/invoke"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers
					.ofString("{\"id\":\"1\",\"service\":\"observed@1.0.0\",\"method\":\"add\",\"input\":[2,3]}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(serverObservations).hasAnObservation(
				(observation) -> observation.hasNameEqualTo("netron.server.requests")
					.hasLowCardinalityKeyValue("netron.member", "add")
					.hasLowCardinalityKeyValue("outcome", "SUCCESS")
					.hasLowCardinalityKeyValue("netron.transport", "http")
					.hasHighCardinalityKeyValue("netron.peer.id", "http")));
	}

	@Test
	void theMetersMove() {
		MeterRegistry meters = new SimpleMeterRegistry();
		new NetronMeterBinder(TestNodes.netron(server), null).bindTo(meters);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> meters.get("netron.connections").tag("direction", "inbound").gauge().value() >= 1);
		Observed observed = server.getBean(Observed.class);
		CompletableFuture<Object> hanging = this.peer.queryInterface("observed@1.0.0").call("hang");
		await().atMost(Duration.ofSeconds(5)).until(() -> meters.get("netron.requests.active").gauge().value() >= 1);
		observed.release.countDown();
		assertThat(hanging.join()).isEqualTo("released");
		double before = meters.get("netron.connections").tag("direction", "inbound").gauge().value();
		this.peer.disconnect();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> meters.get("netron.connections").tag("direction", "inbound").gauge().value() < before);
		assertThat(meters.get("netron.workers.threads").gauge().value()).isPositive();
		// peer:connect and peer:disconnect were emitted for this test's client at least
		assertThat(meters.get("netron.events.emitted").functionCounter().count()).isGreaterThanOrEqualTo(2);
	}

	@Test
	void theEndpointDescribesTheNodeItsServicesAndItsPeers() throws Exception {
		Netron second = nodes.client();
		RemotePeer other = second.connect(TestNodes.url(server)).join();
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + TestNodes.port(server) + "/actuator/netron"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode json = new ObjectMapper().readTree(response.body());
		assertThat(json.at("/node/id").asText()).isEqualTo(TestNodes.netron(server).id());
		assertThat(json.at("/node/state").asText()).isEqualTo("serving");
		assertThat(json.at("/node/memory/limit").asLong()).isEqualTo(TestNodes.netron(server).memory().limit()).isPositive();
		assertThat(json.at("/node/memory/heaviest").isArray()).isTrue();
		assertThat(json.at("/http/paths").toString()).contains("/netron/invoke", "/netron/openapi.json");
		assertThat(json.at("/http/requestsInFlight").asInt()).isZero();
		JsonNode service = json.at("/services/0");
		assertThat(service.get("qualifiedName").asText()).isEqualTo("observed@1.0.0");
		assertThat(service.get("methods").toString()).contains("\"add\"", "\"whereAmI\"");
		assertThat(service.at("/properties/level/readonly").asBoolean()).isFalse();
		List<String> peers = new ArrayList<>();
		json.get("peers").forEach((p) -> peers.add(p.get("id").asText() + " " + p.get("direction").asText()));
		assertThat(peers).contains(this.client.id() + " inbound", second.id() + " inbound");
		assertThat(json.get("peers").get(0).get("connectedSince").asText()).matches("\\d{4}-.*Z");
		assertThat(json.has("discovery")).isTrue();
		assertThat(json.get("discovery").isNull()).isTrue();
		other.disconnect();
	}

	@Configuration(proxyBeanMethods = false)
	static class Observations {

		@Bean
		TestObservationRegistry observationRegistry() {
			return TestObservationRegistry.create();
		}

	}

	@NetronService("observed@1.0.0")
	static class Observed {

		volatile CountDownLatch release = new CountDownLatch(1);

		private final ObservationRegistry registry;

		@Public
		private int level;

		Observed(ObservationRegistry registry) {
			this.registry = registry;
		}

		@Public
		public int add(int a, int b) {
			return a + b;
		}

		@Public
		public io.netron.stream.NetronWritableStream<Integer> numbers(int count) {
			return io.netron.stream.NetronWritableStream.from(java.util.stream.IntStream.range(0, count).boxed().iterator());
		}

		@Public
		public void fail() {
			throw new IllegalStateException("boom");
		}

		@Public
		public String ignore(io.netron.stream.NetronReadableStream<Integer> stream) {
			return "ignored";
		}

		@Public
		public void reject() {
			throw JsError.of(JsErrorType.RANGE_ERROR, "out of range");
		}

		/** An error whose name the caller chooses, as a peer may answer with any. */
		@Public
		public void failAs(String name) {
			throw JsError.named(name, "failed as " + name);
		}

		@Public
		public String hang() throws InterruptedException {
			return this.release.await(5, TimeUnit.SECONDS) ? "released" : "gave up";
		}

		@Public
		public String whereAmI() {
			Observation current = this.registry.getCurrentObservation();
			return ((current != null) ? current.getContext().getName() : "none") + "|" + MDC.get("netron.peer.id") + "|"
					+ MDC.get("netron.request.id");
		}

		public int getLevel() {
			return this.level;
		}

		public void setLevel(int level) {
			this.level = level;
		}

	}

}
