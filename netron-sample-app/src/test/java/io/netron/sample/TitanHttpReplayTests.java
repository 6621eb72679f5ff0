package io.netron.sample;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netron.titan.TitanExtraService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays every {@code /netron/*} exchange of {@code wire-vectors/titan/http.json}, captured from
 * a running Titan node, against this application's HTTP transport with the JDK HTTP client, and
 * checks the status, the JSON body and the headers of note. Where this node answers otherwise on
 * purpose the test says so and checks this node's answer. Titan's own routes ({@code /health},
 * {@code /openapi.json}, {@code /metrics}) are the actuator's business here and are not replayed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "sample.demo.enabled=false")
@Import(TitanExtraService.class)
class TitanHttpReplayTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	@LocalServerPort
	int port;

	private final HttpClient http = HttpClient.newHttpClient();

	private JsonNode exchanges;

	@BeforeEach
	void load() throws IOException {
		try (InputStream in = TitanHttpReplayTests.class.getResourceAsStream("/titan-http.json")) {
			this.exchanges = JSON.readTree(in).get("exchanges");
		}
		assertThat(this.exchanges).hasSize(17);
	}

	@Test
	void everyNetronExchangeIsAnsweredAsTitanAnswersIt() throws Exception {
		int replayed = 0;
		for (JsonNode exchange : this.exchanges) {
			String path = exchange.get("path").asText();
			if (!path.startsWith("/netron/")) {
				continue;
			}
			String body = JSON.writeValueAsString(exchange.get("requestBody"));
			HttpResponse<String> response = post(path, body);
			String what = exchange.get("name").asText() + " " + body;
			JsonNode expected = exchange.get("responseBody").deepCopy();
			JsonNode actual = JSON.readTree(response.body());
			int status = exchange.get("status").asInt();
			if (body.contains("\"r8\"")) {
				// differs on purpose: Java methods take the arguments they declare; echo(1, 2) has one too many
				assertThat(response.statusCode()).as(what).isEqualTo(400);
				assertThat(actual.at("/error/message").asText())
					.isEqualTo("Invalid call of conformance@1.0.0.echo: expected 0 to 1 arguments, got 2");
				replayed++;
				continue;
			}
			if (body.contains("\"b2\"")) {
				// Titan's batch says "Method not found: nosuch@1.0.0.echo" for an unknown service; this node
				// names the service, as its invoke does
				((ObjectNode) expected.at("/responses/1/error")).put("message", "Service nosuch@1.0.0 not found");
			}
			if (path.endsWith("/authenticate")) {
				// this node keeps the caller's id where Titan made one up
				((ObjectNode) expected).put("id", "a1");
			}
			assertThat(response.statusCode()).as(what).isEqualTo(status);
			assertThat(response.headers().firstValue("content-type")).as(what).hasValueSatisfying(
					(type) -> assertThat(type).startsWith("application/json"));
			if (exchange.at("/responseHeaders/cache-control").isTextual()) {
				assertThat(response.headers().firstValue("cache-control")).as(what)
					.contains(exchange.at("/responseHeaders/cache-control").asText());
			}
			if (!exchange.get("requestBody").has("id")) {
				// a generated request id, in the body and the x-request-id header
				String id = response.headers().firstValue("x-request-id").orElseThrow();
				assertThat(actual.get("id").asText()).isEqualTo(id);
				((ObjectNode) expected).put("id", id);
			}
			zeroTimes(expected);
			zeroTimes(actual);
			assertThat(actual).as(what).isEqualTo(expected);
			replayed++;
		}
		assertThat(replayed).isEqualTo(13);
	}

	@Test
	void badRequestsGetASpecificStatusAndEnvelope() throws Exception {
		HttpResponse<String> notJson = post("/netron/invoke", "{nope");
		assertThat(notJson.statusCode()).isEqualTo(400);
		assertThat(JSON.readTree(notJson.body()).at("/error/message").asText()).startsWith("Invalid request format: the body is not JSON");
		HttpResponse<String> text = this.http.send(HttpRequest.newBuilder(uri("/netron/invoke"))
			.header("Content-Type", "text/plain")
			.POST(HttpRequest.BodyPublishers.ofString("{}"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(text.statusCode()).isEqualTo(415);
		HttpResponse<String> get = this.http.send(HttpRequest.newBuilder(uri("/netron/invoke")).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(get.statusCode()).isEqualTo(405);
		HttpResponse<String> huge = post("/netron/invoke",
				"{\"id\":\"h\",\"service\":\"conformance@1.0.0\",\"method\":\"echo\",\"input\":\"" + "x".repeat(1_100_000) + "\"}");
		assertThat(huge.statusCode()).isEqualTo(413);
		assertThat(JSON.readTree(huge.body()).at("/error/message").asText()).contains("netron.http.max-body-size");
		List<Map<String, Object>> requests = new ArrayList<>();
		for (int i = 0; i < 101; i++) {
			requests.add(Map.of("id", "i" + i, "service", "conformance@1.0.0", "method", "echo", "input", i));
		}
		HttpResponse<String> batch = post("/netron/batch", JSON.writeValueAsString(Map.of("id", "big", "requests", requests)));
		assertThat(batch.statusCode()).isEqualTo(413);
		HttpResponse<String> wrongType = post("/netron/invoke",
				"{\"id\":\"t\",\"service\":\"conformance@1.0.0\",\"method\":\"add\",\"input\":[\"two\",3]}");
		assertThat(wrongType.statusCode()).isEqualTo(400);
		assertThat(JSON.readTree(wrongType.body()).at("/error/message").asText())
			.startsWith("Invalid argument 1 (a) of conformance@1.0.0.add");
		HttpResponse<String> stream = post("/netron/invoke",
				"{\"id\":\"s\",\"service\":\"conformance@1.0.0\",\"method\":\"numbers\",\"input\":[3]}");
		assertThat(stream.statusCode()).isEqualTo(400);
		assertThat(JSON.readTree(stream.body()).at("/error/message").asText())
			.isEqualTo("Method numbers of conformance@1.0.0 returns a stream: streams, events and sub-services need a "
					+ "WebSocket connection (ws://.../netron)");
	}

	/** The sample's page that calls services with fetch (checked in a real browser by hand; see the README). */
	@Test
	void theSampleServesItsBrowserPage() throws Exception {
		HttpResponse<String> page = this.http.send(HttpRequest.newBuilder(uri("/")).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("content-type")).hasValueSatisfying((type) -> assertThat(type).startsWith("text/html"));
		assertThat(page.body()).contains("fetch('/netron/openapi.json')", "fetch('/netron/invoke'");
	}

	/**
	 * springdoc-openapi is on the sample's class path: its document lists the Netron methods beside the
	 * application's own endpoints, and the operation it lists answers as invoke does.
	 */
	@Test
	void springdocsDocumentListsTheNetronMethodsAndTheirPathsAnswer() throws Exception {
		HttpResponse<String> document = this.http.send(HttpRequest.newBuilder(uri("/v3/api-docs")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(document.statusCode()).isEqualTo(200);
		JsonNode openApi = JSON.readTree(document.body());
		JsonNode add = openApi.at("/paths/~1netron~1invoke~1conformance@1.0.0~1add/post");
		assertThat(add.isObject()).as("the add operation").isTrue();
		assertThat(add.at("/tags/0").asText()).isEqualTo("conformance@1.0.0");
		assertThat(add.at("/summary").asText()).isEqualTo("conformance@1.0.0.add(Number, Number): Number");
		assertThat(add.at("/requestBody/content/application~1json/schema/prefixItems").toString())
			.isEqualTo("[{\"type\":\"number\"},{\"type\":\"number\"}]");
		assertThat(add.at("/responses/200/content/application~1json/schema/$ref").asText())
			.isEqualTo("#/components/schemas/NetronSuccess");
		assertThat(openApi.at("/components/schemas/NetronFailure/required")).extracting(JsonNode::asText)
			.containsExactlyInAnyOrder("id", "success", "error");
		// the node's own description is still served, with its own schema names
		assertThat(JSON.readTree(this.http.send(HttpRequest.newBuilder(uri("/netron/openapi.json")).build(),
				HttpResponse.BodyHandlers.ofString()).body()).at("/components/schemas/Success").isObject()).isTrue();
		HttpResponse<String> called = post("/netron/invoke/conformance@1.0.0/add", "[2, 3]");
		assertThat(called.statusCode()).isEqualTo(200);
		assertThat(JSON.readTree(called.body()).get("data").asInt()).isEqualTo(5);
	}

	private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	/** Server-side times differ from run to run: only their presence is compared. */
	private static void zeroTimes(JsonNode node) {
		if (node.at("/hints/metrics").isObject()) {
			((ObjectNode) node.at("/hints/metrics")).put("serverTime", 0);
		}
		if (node.at("/hints/totalTime").isNumber()) {
			((ObjectNode) node.get("hints")).put("totalTime", 0);
		}
	}

}
