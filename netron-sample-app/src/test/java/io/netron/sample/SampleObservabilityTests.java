package io.netron.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.netron.sample.demo.CalculatorClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The sample as a user with the actuator sees it, with no Netron configuration for it: the
 * request timers of both sides with Netron's tags, Netron's meters, and {@code /actuator/netron}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
class SampleObservabilityTests {

	static final int PORT = FreePort.find();

	@DynamicPropertySource
	static void port(DynamicPropertyRegistry registry) {
		registry.add("server.port", () -> PORT);
	}

	@Autowired
	CalculatorClient calculator;

	@Autowired
	MeterRegistry meters;

	@Test
	void requestTimersCarryNetronsTagsOnBothSides() {
		assertThat(this.calculator.add(20, 22)).isEqualTo(42.0);
		assertThat(catchThrowable(() -> this.calculator.divideAsync(1, 0).join())).isNotNull();
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(this.meters.find("netron.server.requests")
				.tags("netron.service", "calculator@1.0.0", "netron.member", "add", "outcome", "SUCCESS")
				.timer()).isNotNull();
			assertThat(this.meters.find("netron.server.requests")
				.tags("netron.member", "divide", "outcome", "ERROR", "netron.error", "RangeError")
				.timer()).isNotNull();
			assertThat(this.meters.find("netron.client.requests")
				.tags("netron.member", "divide", "outcome", "ERROR", "netron.error", "RangeError")
				.timer()).isNotNull();
		});
		assertThat(this.meters.get("netron.connections").tag("direction", "outbound").gauge().value()).isGreaterThanOrEqualTo(1);
		// Netron's meter handler took the requests ahead of Boot's default one: no long-task timers
		assertThat(this.meters.find("netron.server.requests.active").longTaskTimer()).isNull();
		assertThat(this.meters.find("netron.client.requests.active").longTaskTimer()).isNull();
	}

	@Test
	void theNetronEndpointIsExposed() throws Exception {
		this.calculator.add(1, 1);
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/actuator/netron")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode json = new ObjectMapper().readTree(response.body());
		assertThat(json.at("/node/state").asText()).isEqualTo("serving");
		assertThat(json.get("services").toString()).contains("\"calculator@1.0.0\"", "\"greeter@1.0.0\"");
		assertThat(json.get("peers").size()).isGreaterThanOrEqualTo(2);
	}

}
