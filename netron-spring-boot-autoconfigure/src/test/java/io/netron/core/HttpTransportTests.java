package io.netron.core;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP transport's switches over real HTTP: CORS off unless origins are listed, then
 * preflights and calls from those origins only; {@code netron.http.enabled=false} leaves the
 * paths unserved while the WebSocket endpoint serves.
 */
class HttpTransportTests {

	private final TestNodes nodes = new TestNodes();

	private final HttpClient http = HttpClient.newHttpClient();

	@AfterEach
	void stop() throws Exception {
		this.nodes.close();
	}

	@Test
	void corsIsOffByDefaultAndAllowsOnlyTheListedOrigins() throws Exception {
		ConfigurableApplicationContext closed = this.nodes.server(new Class<?>[] { TestServices.Calculator.class });
		assertThat(preflight(closed, "https://app.example").headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
		// no CORS answer: a browser sends no JSON POST without a preflight, and reads no answer without one
		assertThat(call(closed, "https://app.example").headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
		ConfigurableApplicationContext open = this.nodes.server(new Class<?>[] { TestServices.Calculator.class },
				"netron.http.cors.allowed-origins=https://app.example");
		HttpResponse<String> preflight = preflight(open, "https://app.example");
		assertThat(preflight.statusCode()).isEqualTo(200);
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example");
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).contains("POST");
		HttpResponse<String> allowed = call(open, "https://app.example");
		assertThat(allowed.statusCode()).isEqualTo(200);
		assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example");
		assertThat(call(open, "https://evil.example").statusCode()).isEqualTo(403);
		// a request without Origin (curl, a server) is not a cross-origin request
		assertThat(call(open, null).statusCode()).isEqualTo(200);
	}

	@Test
	void theApiDescriptionListsEveryMethodAtAPathThatServesIt() throws Exception {
		ConfigurableApplicationContext node = this.nodes.server(new Class<?>[] { TestServices.Calculator.class });
		String base = "http://127.0.0.1:" + TestNodes.port(node) + "/netron";
		HttpResponse<String> description = this.http.send(HttpRequest.newBuilder(URI.create(base + "/openapi.json")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(description.statusCode()).isEqualTo(200);
		com.fasterxml.jackson.databind.JsonNode document = new com.fasterxml.jackson.databind.ObjectMapper()
			.readTree(description.body());
		assertThat(document.get("openapi").asText()).isEqualTo("3.1.0");
		com.fasterxml.jackson.databind.JsonNode add = document.get("paths").get("/netron/invoke/calculator@1.0.0/add").get("post");
		assertThat(add.at("/requestBody/content/application~1json/schema/prefixItems/0/type").asText()).isEqualTo("number");
		assertThat(add.at("/responses/404/description").asText()).isEqualTo("Unknown service or method");
		assertThat(document.get("paths").size()).isEqualTo(TestNodes.netron(node).localPeer().services()
			.get("calculator@1.0.0").meta().methods().size());
		HttpResponse<String> byPath = this.http.send(HttpRequest.newBuilder(URI.create(base + "/invoke/calculator@1.0.0/add"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("[2, 3]"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(byPath.statusCode()).isEqualTo(200);
		assertThat(byPath.body()).contains("\"success\":true,\"data\":5");
		assertThat(byPath.headers().firstValue("X-Request-Id")).isPresent();
		HttpResponse<String> unknown = this.http.send(HttpRequest.newBuilder(URI.create(base + "/invoke/calculator@1.0.0/nope"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("[]"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(unknown.statusCode()).isEqualTo(404);
	}

	/**
	 * A Java client over http://: the same RemoteService and typed proxies, services looked up in the
	 * API description; what a stateless transport cannot do fails at once, naming the limitation.
	 */
	@Test
	void javaClientsCallOverHttpAndAreToldWhatNeedsAWebSocket() throws Exception {
		ConfigurableApplicationContext node = this.nodes.server(new Class<?>[] { TestServices.Calculator.class });
		URI url = URI.create("http://127.0.0.1:" + TestNodes.port(node) + "/netron");
		RemotePeer peer = this.nodes.client()
			.connect(url, ConnectOptions.defaults().withConnector(new io.netron.transport.HttpConnector()))
			.join();
		assertThat(peer.generationSpoken()).isEqualTo(ProtocolGeneration.TITAN);
		CalculatorClient calculator = peer.queryInterface("calculator@^1.0.0", CalculatorClient.class);
		assertThat(calculator.add(2, 3)).isEqualTo(5);
		assertThat(calculator.addAsync(40, 2).join()).isEqualTo(42);
		assertThat(calculator.move(new TestServices.Point(1, 2), 3)).isEqualTo(new TestServices.Point(4, 2));
		assertThat(peer.queryInterface("calculator").call("echo", java.util.Map.of("a", java.util.List.of(1, "x"))).join())
			.isEqualTo(java.util.Map.of("a", java.util.List.of(1, "x")));
		org.assertj.core.api.Assertions.assertThatExceptionOfType(RemoteInvocationException.class)
			.isThrownBy(() -> calculator.fail("nope"))
			.satisfies((ex) -> {
				assertThat(ex.remoteMessage()).isEqualTo("nope");
				assertThat(ex.remoteCode()).isEqualTo(500);
			});
		org.assertj.core.api.Assertions.assertThatExceptionOfType(RemoteInvocationException.class)
			.isThrownBy(calculator::version)
			.withMessageContaining("Property reads need a WebSocket connection: over HTTP (" + url + ") only methods can be called");
		org.assertj.core.api.Assertions.assertThatExceptionOfType(java.util.concurrent.CompletionException.class)
			.isThrownBy(() -> peer.subscribe("news", (args) -> { }).join())
			.withMessageContaining("Task subscribe needs a WebSocket connection");
		org.assertj.core.api.Assertions.assertThatExceptionOfType(UnknownServiceException.class)
			.isThrownBy(() -> peer.queryInterface("nosuch@1.0.0"))
			.withMessageContaining("Service 'nosuch@1.0.0' not found");
		// without the HTTP connector, an http:// URL is refused with what to do
		assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> this.nodes.client().connect(url.toString()).join()))
			.hasMessageContaining("ConnectOptions.withConnector(new io.netron.transport.HttpConnector())");
	}

	/** The HTTP transport's own bound: past netron.http.max-requests-in-flight a request is answered 503 at once. */
	@Test
	void requestsPastTheInFlightBoundAreAnswered503AndTheCountGoesBack() throws Exception {
		ConfigurableApplicationContext node = this.nodes.server(new Class<?>[] { TestServices.Calculator.class },
				"netron.http.max-requests-in-flight=1");
		io.netron.transport.NetronHttpService handler = node.getBean(io.netron.transport.NetronHttpService.class);
		URI invoke = uri(node);
		java.util.concurrent.CompletableFuture<HttpResponse<String>> held = this.http.sendAsync(HttpRequest.newBuilder(invoke)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"held\",\"service\":\"calculator@1.0.0\",\"method\":\"block\"}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> handler.requestsInFlight() == 1);
		HttpResponse<String> refused = call(node, null);
		assertThat(refused.statusCode()).isEqualTo(503);
		assertThat(refused.body()).contains("(netron.http.max-requests-in-flight)");
		node.getBean(TestServices.Calculator.class).release.countDown();
		assertThat(held.get(10, java.util.concurrent.TimeUnit.SECONDS).body()).contains("\"data\":\"released\"");
		assertThat(handler.requestsInFlight()).isZero();
		assertThat(call(node, null).statusCode()).isEqualTo(200);
	}

	/**
	 * HTTP requests draw from the node's memory budget like WebSocket frames: a body within
	 * {@code max-body-size} that parses to more than the node has left (a megabyte of empty objects
	 * is some 70 MB of JSON nodes) is refused with 503 before it is built, the bytes are given back,
	 * and the node serves on. Without it, 200 such requests at once (Tomcat's threads) held gigabytes.
	 */
	@Test
	void bodiesThatParseToMoreThanTheNodeHasLeftAreRefusedAndGiveEverythingBack() throws Exception {
		ConfigurableApplicationContext node = this.nodes.server(new Class<?>[] { TestServices.Calculator.class },
				"netron.server.max-buffered-bytes=8MB", "netron.http.max-body-size=4MB");
		Netron netron = TestNodes.netron(node);
		String emptyObjects = "{}," .repeat(1 << 20);
		HttpResponse<String> refused = this.http.send(HttpRequest.newBuilder(uri(node))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"maps\",\"service\":\"calculator@1.0.0\",\"method\":\"echo\","
					+ "\"input\":[[" + emptyObjects + "{}]]}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(refused.statusCode()).isEqualTo(503);
		assertThat(refused.body()).contains("parses to more than the", "of its memory budget (netron.server.max-buffered-bytes)");
		// given back once the handler has returned, which may be just after the client read the answer
		org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(netron.memory().used()).isZero();
			assertThat(netron.memory().accounts()).isZero();
		});
		// an ordinary call, and a large one within the budget, are served
		assertThat(call(node, null).body()).contains("\"data\":3");
		String large = "x".repeat(1 << 20);
		HttpResponse<String> echoed = this.http.send(HttpRequest.newBuilder(uri(node))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(
					"{\"id\":\"big\",\"service\":\"calculator@1.0.0\",\"method\":\"echo\",\"input\":[\"" + large + "\"]}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(echoed.statusCode()).isEqualTo(200);
		assertThat(echoed.body()).contains(large);
		org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(netron.memory().used()).isZero());
	}

	@Test
	void disabledHttpTransportLeavesItsPathsUnservedAndTheWebSocketServes() throws Exception {
		ConfigurableApplicationContext node = this.nodes.server(new Class<?>[] { TestServices.Calculator.class },
				"netron.http.enabled=false");
		assertThat(call(node, null).statusCode()).isEqualTo(404);
		RemotePeer peer = this.nodes.client().connect(TestNodes.url(node)).join();
		assertThat(peer.queryInterface("calculator@1.0.0").call("add", 1, 2).join()).isEqualTo(3);
	}

	private HttpResponse<String> preflight(ConfigurableApplicationContext node, String origin) throws Exception {
		return this.http.send(HttpRequest.newBuilder(uri(node))
			.timeout(java.time.Duration.ofSeconds(10))
			.method("OPTIONS", HttpRequest.BodyPublishers.noBody())
			.header("Origin", origin)
			.header("Access-Control-Request-Method", "POST")
			.header("Access-Control-Request-Headers", "content-type")
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> call(ConfigurableApplicationContext node, @org.jspecify.annotations.Nullable String origin)
			throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(node))
			.timeout(java.time.Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers
				.ofString("{\"id\":\"1\",\"service\":\"calculator@1.0.0\",\"method\":\"add\",\"input\":[1,2]}"));
		if (origin != null) {
			request.header("Origin", origin);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static URI uri(ConfigurableApplicationContext node) {
		return URI.create("http://127.0.0.1:" + TestNodes.port(node) + "/netron/invoke");
	}

}
