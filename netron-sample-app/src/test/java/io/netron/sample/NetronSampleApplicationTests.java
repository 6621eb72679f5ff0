package io.netron.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netron.core.Netron;
import io.netron.core.NetronOptions;
import io.netron.core.RemoteInvocationException;
import io.netron.core.RemotePeer;
import io.netron.core.RemoteService;
import io.netron.protocol.JsErrorType;
import io.netron.protocol.JsMap;
import io.netron.sample.demo.CalculatorClient;
import io.netron.sample.demo.GreeterClient;
import io.netron.sample.demo.TickerClient;
import io.netron.stream.NetronReadableStream;
import io.netron.stream.NetronWritableStream;
import io.netron.transport.JdkWebSocketConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample application on a free port, called through the starter's own proxies for every
 * service: the demo's {@code @NetronClient}s, and a client node for the conformance services.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class NetronSampleApplicationTests {

	static final int PORT = FreePort.find();

	@DynamicPropertySource
	static void port(DynamicPropertyRegistry registry) {
		registry.add("server.port", () -> PORT);
	}

	@Autowired
	GreeterClient greeter;

	@Autowired
	CalculatorClient calculator;

	@Autowired
	TickerClient ticker;

	@Autowired
	Netron node;

	private Netron client;

	private RemotePeer peer;

	@BeforeEach
	void connect() {
		NetronOptions options = NetronOptions.defaults().withRequestTimeout(Duration.ofSeconds(5));
		this.client = new Netron(options, new JdkWebSocketConnector(options.maxMessageSize(), options.sendBufferSize()));
		this.peer = this.client.connect("ws://127.0.0.1:" + PORT + "/netron").join();
	}

	@AfterEach
	void disconnect() {
		this.client.close();
	}

	@Test
	void demoClientsCallTheDemoServices() throws Exception {
		assertThat(this.greeter.greet("Ada")).isEqualTo("Hello, Ada!");
		assertThat(this.greeter.language()).isEqualTo("en");
		assertThat(this.calculator.add(2, 3)).isEqualTo(5.0);
		assertThat(this.calculator.divideAsync(1, 4).get(5, TimeUnit.SECONDS)).isEqualTo(0.25);
		assertThat(this.calculator.divideAsync(1, 0)).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingCause()
			.isInstanceOfSatisfying(RemoteInvocationException.class, (ex) -> {
				assertThat(ex.remoteType()).isEqualTo(JsErrorType.RANGE_ERROR);
				assertThat(ex.customFields()).containsEntry("code", "E_DIV0");
			});
		CalculatorClient.Memory memory = this.calculator.memory();
		memory.store(7.5);
		assertThat(memory.recall()).isEqualTo(7.5);
	}

	@Test
	void conformanceServicesAnswerAsTheTypeScriptReferenceDoes() {
		assertThat(this.peer.serviceNames()).contains("conformance@1.0.0", "conformance@2.0.0", "greeter@1.0.0",
				"calculator@1.0.0");
		assertThat(this.peer.queryInterface("conformance").call("whoami").join()).isEqualTo("conformance@2.0.0");
		RemoteService v1 = this.peer.queryInterface("conformance@1.0.0");
		assertThat(v1.call("whoami").join()).isEqualTo("conformance@1.0.0");
		assertThat(v1.call("add", 2147483647, 1).join()).isEqualTo(2147483648.0);
		assertThat(v1.call("add", 0.5, 0.25).join()).isEqualTo(0.75);
		JsMap map = new JsMap();
		map.put(1, List.of("x"));
		assertThat(v1.call("echo", map).join()).isEqualTo(map);
		assertThat(v1.call("getDate").join()).isEqualTo(Instant.parse("2024-01-02T03:04:05.678Z"));
		assertThat(v1.call("getSet").join()).isEqualTo(Set.of(1, "two", 3.5));
		JsMap expected = new JsMap();
		JsMap nested = new JsMap();
		nested.put("x", List.of(1, 2, 3));
		expected.put("alpha", 1);
		expected.put("beta", "two");
		expected.put(3, true);
		expected.put("nested", nested);
		assertThat(v1.call("getMap").join()).isEqualTo(expected);
		assertThat(v1.get("version").join()).isEqualTo("1.0.0");
		v1.set("counter", 42).join();
		assertThat(v1.get("counter").join()).as("42.0 travels as the JavaScript number 42").isEqualTo(42);
		assertThat(this.peer.queryInterface("conformance@2.0.0").get("version").join()).isEqualTo("2.0.0");
	}

	@Test
	void conformanceErrorsCarryClassNameMessageAndFields() {
		RemoteService v1 = this.peer.queryInterface("conformance@1.0.0");
		assertThat(v1.call("fail", "boom")).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingRootCause()
			.isInstanceOfSatisfying(RemoteInvocationException.class, (ex) -> {
				assertThat(ex.remoteName()).isEqualTo("Error");
				assertThat(ex.remoteMessage()).isEqualTo("boom");
				assertThat(ex.remoteStack()).isEqualTo("Error: boom");
			});
		assertThat(v1.call("failType", "t")).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingRootCause()
			.isInstanceOfSatisfying(RemoteInvocationException.class,
					(ex) -> assertThat(ex.remoteType()).isEqualTo(JsErrorType.TYPE_ERROR));
		assertThat(v1.call("failCustom", "nope", "E_NOPE")).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingRootCause()
			.isInstanceOfSatisfying(RemoteInvocationException.class, (ex) -> assertThat(ex.customFields())
				.isEqualTo(Map.of("code", "E_NOPE", "details", Map.of("retryable", false, "attempts", 3))));
		assertThat(v1.call("failAsync", "later")).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingRootCause()
			.isInstanceOfSatisfying(RemoteInvocationException.class,
					(ex) -> assertThat(ex.remoteType()).isEqualTo(JsErrorType.RANGE_ERROR));
	}

	@Test
	void conformanceChildIsTheSameInstanceAndTravelsBackByReference() {
		RemoteService v1 = this.peer.queryInterface("conformance@1.0.0");
		RemoteService child = (RemoteService) v1.call("child").join();
		assertThat(v1.call("child").join()).isSameAs(child);
		assertThat(child.definition().parentId()).isEqualTo(v1.definition().id());
		assertThat(child.call("hello", "netron").join()).isEqualTo("hello, netron");
		assertThat(child.get("tag").join()).isEqualTo("child");
		assertThat(v1.call("callChild", child, "ref").join()).isEqualTo("hello, ref");
	}

	@Test
	void conformancePingReturnsOnceSubscribersAcknowledged() {
		RemoteService v1 = this.peer.queryInterface("conformance@1.0.0");
		List<Object> received = new CopyOnWriteArrayList<>();
		this.peer.subscribe("conformance:ping", (args) -> received.add(args.get(0))).join();
		assertThat(v1.call("ping", "conformance:ping", Map.of("seq", 1)).join()).isEqualTo(true);
		assertThat(received).containsExactly(Map.of("seq", 1));
	}

	@Test
	void conformanceExtraIsExposedAndUnexposedAtRuntime() {
		RemoteService v1 = this.peer.queryInterface("conformance@1.0.0");
		String defId = (String) v1.call("exposeExtra").join();
		assertThat(this.node.localPeer().services()).containsKey("conformance.extra@1.0.0");
		assertThat(this.node.localPeer().services().get("conformance.extra@1.0.0").id()).isEqualTo(defId);
		assertThat(v1.call("unexposeExtra").join()).isEqualTo(true);
		assertThat(this.node.localPeer().services()).doesNotContainKey("conformance.extra@1.0.0");
	}

	private static JsonNode get(String path) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + path)).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return new ObjectMapper().readTree(response.body());
	}

	@Test
	void healthEndpointShowsTheNodeButLivenessDoesNot() throws Exception {
		this.calculator.add(1, 1);
		JsonNode netron = get("/actuator/health").path("components").path("netron");
		assertThat(netron.path("status").asText()).isEqualTo("UP");
		assertThat(netron.path("details").path("services").toString()).isEqualTo(
				"[\"calculator@1.0.0\",\"conformance@1.0.0\",\"conformance@2.0.0\",\"greeter@1.0.0\",\"ticker@1.0.0\"]");
		JsonNode self = netron.path("details").path("peers").path("self");
		assertThat(self.path("url").asText()).isEqualTo("ws://127.0.0.1:" + PORT + "/netron");
		assertThat(self.path("status").asText()).isEqualTo("UP");
		JsonNode liveness = get("/actuator/health/liveness");
		assertThat(liveness.path("status").asText()).isEqualTo("UP");
		assertThat(liveness.path("components").has("netron")).isFalse();
	}

	@Test
	void demoTickerStreamsThroughTheClientProxy() {
		try (java.util.stream.Stream<Integer> countdown = this.ticker.countdown(4)) {
			assertThat(countdown.toList()).containsExactly(4, 3, 2, 1);
		}
	}

	@Test
	@SuppressWarnings("unchecked")
	void conformanceStreamsGoBothWays() {
		RemoteService v1 = this.peer.queryInterface("conformance@1.0.0");
		NetronReadableStream<Object> numbers = (NetronReadableStream<Object>) v1.call("numbers", 5, this.client.id()).join();
		assertThat(numbers.toList().join()).containsExactly(0, 1, 2, 3, 4);
		NetronReadableStream<Object> eager = (NetronReadableStream<Object>) v1.call("numbersEager", 3).join();
		assertThat(eager.toList().join()).containsExactly(0, 1, 2);
		assertThat(v1.call("sumStream", NetronWritableStream.from(List.of(1, 2, 3.5))).join())
			.isEqualTo(Map.of("count", 3, "sum", 6.5));
	}

}
