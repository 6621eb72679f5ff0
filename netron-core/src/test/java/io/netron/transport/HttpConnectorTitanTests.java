package io.netron.transport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.netron.NetronException;
import io.netron.core.ConnectOptions;
import io.netron.core.Netron;
import io.netron.core.NetronOptions;
import io.netron.core.RemoteInvocationException;
import io.netron.core.RemotePeer;
import io.netron.core.RemoteService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The Java HTTP client against a scripted server on a real loopback socket that answers as the
 * Titan node of {@code wire-vectors/titan/http.json} answered: its API description closed (401),
 * its invocations answered with the captured bodies and statuses. The client calls by name, as
 * Titan's own HTTP client does, and the node's answers and refusals reach the caller.
 */
class HttpConnectorTitanTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	private HttpServer server;

	private Netron client;

	/** The bodies the scripted server received at /netron/invoke, in order. */
	private final List<JsonNode> invoked = new CopyOnWriteArrayList<>();

	@BeforeEach
	void start() throws IOException {
		List<JsonNode> exchanges = new ArrayList<>();
		try (InputStream in = getClass().getResourceAsStream("/wire-vectors/titan/http.json")) {
			JSON.readTree(in).path("exchanges").forEach(exchanges::add);
		}
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/", (exchange) -> answer(exchange, exchanges));
		this.server.start();
		this.client = new Netron(NetronOptions.defaults().withId("java-http-client"), new JdkWebSocketConnector(1 << 20, 1 << 20));
	}

	@AfterEach
	void stop() {
		this.client.close();
		this.server.stop(0);
	}

	@Test
	void aNodeWithoutADescriptionIsCalledByNameAndAnswersAsTitanDoes() {
		RemotePeer peer = connect();
		// a versionless name goes as it is: the node resolves it
		assertThat(peer.queryInterface("conformance").call("echo", "x").join()).isEqualTo("x");
		RemoteService conformance = peer.queryInterface("conformance@1.0.0");
		assertThat(conformance.call("add", 2, 3).join()).isEqualTo(5);
		assertThat(conformance.call("echo", "hi").join()).isEqualTo("hi");
		assertThat(conformance.call("echo", 1, 2).join()).isEqualTo(1);
		assertThat(conformance.call("echo", Map.of("a", List.of(1, 2))).join()).isEqualTo(Map.of("a", List.of(1, 2)));
		// what the client sent: the name, the method and the arguments as an array
		assertThat(this.invoked.get(0).path("service").asText()).isEqualTo("conformance");
		assertThat(this.invoked.get(1).path("service").asText()).isEqualTo("conformance@1.0.0");
		assertThat(this.invoked.get(1).path("input").toString()).isEqualTo("[2,3]");
	}

	@Test
	void theNodesRefusalsAndFailuresReachTheCallerWithTheirCodes() {
		RemotePeer peer = connect();
		RemoteService conformance = peer.queryInterface("conformance@1.0.0");
		assertThat(failure(conformance.call("fail", "boom"))).isInstanceOf(RemoteInvocationException.class)
			.hasMessageContaining("boom")
			.satisfies((ex) -> assertThat(((RemoteInvocationException) ex).remoteCode()).isEqualTo(500));
		assertThat(failure(conformance.call("nosuchMethod"))).isInstanceOf(RemoteInvocationException.class)
			.hasMessageContaining("Method nosuchMethod not found in service conformance@1.0.0")
			.satisfies((ex) -> assertThat(((RemoteInvocationException) ex).remoteCode()).isEqualTo(404));
		RemoteInvocationException notFound = (RemoteInvocationException) failure(
				peer.queryInterface("extrasvc@1.0.0").call("titanFail", "zzz"));
		assertThat(notFound.remoteCode()).isEqualTo(404);
		assertThat(notFound.details()).isEqualTo(Map.of("resource", "Thing", "id", "zzz"));
		assertThat(notFound).hasMessageContaining("Thing with id zzz not found");
		// an unknown service is found out when it is called, as with Titan's client
		assertThat(failure(peer.queryInterface("nosuch@1.0.0").call("echo", "x")))
			.isInstanceOf(RemoteInvocationException.class)
			.hasMessageContaining("Service nosuch@1.0.0 not found");
		// what HTTP cannot do still says so
		assertThat(failure(conformance.get("counter"))).isInstanceOf(NetronException.class)
			.hasMessageContaining("Property reads need a WebSocket connection");
		// and the connection serves on
		assertThat(conformance.call("add", 2, 3).join()).isEqualTo(5);
	}

	private RemotePeer connect() {
		return this.client.connect(java.net.URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/netron"),
				ConnectOptions.defaults().withConnector(new HttpConnector())).join();
	}

	private static Throwable failure(CompletableFuture<?> call) {
		Throwable thrown = catchThrowable(call::join);
		return (thrown instanceof CompletionException) ? thrown.getCause() : thrown;
	}

	/**
	 * Answers as the captured node did: GETs by path; an invocation by its service, method and
	 * arguments (an input that is not an array is the one argument), with the captured status and
	 * body under the request's own id.
	 */
	private void answer(HttpExchange exchange, List<JsonNode> exchanges) throws IOException {
		String path = exchange.getRequestURI().getPath().replaceFirst("^/netron/(openapi\\.json|health|metrics)$", "/$1");
		JsonNode body = "POST".equals(exchange.getRequestMethod()) ? JSON.readTree(exchange.getRequestBody()) : null;
		if (body != null && path.equals("/netron/invoke")) {
			this.invoked.add(body);
		}
		JsonNode match = null;
		for (JsonNode captured : exchanges) {
			if (!captured.path("method").asText().equals(exchange.getRequestMethod())
					|| !captured.path("path").asText().equals(path)) {
				continue;
			}
			if (body == null || (captured.path("requestBody").path("service").equals(body.path("service"))
					&& captured.path("requestBody").path("method").equals(body.path("method"))
					&& arguments(captured.path("requestBody").path("input")).equals(arguments(body.path("input"))))) {
				match = captured;
				break;
			}
		}
		int status = (match != null) ? match.path("status").asInt() : 404;
		JsonNode reply = (match != null) ? match.path("responseBody").deepCopy()
				: JSON.createObjectNode().put("success", false).set("error",
						JSON.createObjectNode().put("code", "404").put("message", "Not found"));
		if (reply instanceof ObjectNode object && body != null && body.has("id")) {
			object.set("id", body.get("id"));
		}
		if (match != null) {
			match.path("responseHeaders").fields()
				.forEachRemaining((header) -> exchange.getResponseHeaders().set(header.getKey(), header.getValue().asText()));
		}
		byte[] bytes = JSON.writeValueAsBytes(reply);
		exchange.sendResponseHeaders(status, bytes.length);
		exchange.getResponseBody().write(bytes);
		exchange.close();
	}

	private static JsonNode arguments(JsonNode input) {
		if (input.isMissingNode() || input.isArray()) {
			return input.isMissingNode() ? JSON.createArrayNode() : input;
		}
		ArrayNode one = JSON.createArrayNode();
		one.add(input);
		return one;
	}

}
