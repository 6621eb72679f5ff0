package io.netron.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import io.netron.core.ConnectOptions;
import io.netron.core.HandshakeRefusedException;
import io.netron.core.Netron;
import io.netron.core.NetronOptions;
import io.netron.core.RemoteAccessDeniedException;
import io.netron.core.RemotePeer;
import io.netron.core.RemoteService;
import io.netron.sample.demo.CalculatorClient;
import io.netron.transport.JdkWebSocketConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The sample with the {@code secure} profile, as the README starts it: the endpoint refuses
 * upgrades without credentials (401), accepts the profile's user (the demo's own clients send
 * it), and {@code @PreAuthorize} refuses what the user's role may not do; health stays open.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("secure")
class SecureProfileTests {

	static final int PORT = FreePort.find();

	@DynamicPropertySource
	static void port(DynamicPropertyRegistry registry) {
		registry.add("server.port", () -> PORT);
	}

	@Autowired
	CalculatorClient calculator;

	private final Netron client = new Netron(NetronOptions.defaults().withRequestTimeout(Duration.ofSeconds(5)),
			new JdkWebSocketConnector(64 << 20, 16 << 20));

	private RemotePeer connectAsTheProfilesUser() {
		return this.client.connect(URI.create("ws://127.0.0.1:" + PORT + "/netron"), ConnectOptions.defaults()
			.withHeaders(() -> Map.of("Authorization", "Basic " + Base64.getEncoder()
				.encodeToString("netron:netron-secret".getBytes(StandardCharsets.UTF_8)))))
			.join();
	}

	@AfterEach
	void close() {
		this.client.close();
	}

	@Test
	void anUpgradeWithoutCredentialsIsRefused() {
		Throwable refused = catchThrowable(() -> this.client.connect("ws://127.0.0.1:" + PORT + "/netron").join());
		assertThat(refused).hasCauseInstanceOf(HandshakeRefusedException.class);
		assertThat(((HandshakeRefusedException) refused.getCause()).statusCode()).isEqualTo(401);
	}

	@Test
	void theProfilesUserCallsAndMethodSecurityRefusesWhatItsRoleMayNotDo() {
		RemotePeer peer = connectAsTheProfilesUser();
		RemoteService calculator = peer.queryInterface("calculator@1.0.0");
		assertThat(((Number) calculator.call("add", 2, 3).join()).doubleValue()).isEqualTo(5.0);
		Throwable refused = catchThrowable(() -> calculator.call("clearMemory").join());
		assertThat(refused.getCause()).isInstanceOf(RemoteAccessDeniedException.class)
			.hasMessage("AccessDeniedError: Access denied to calculator@1.0.0.clearMemory: Access Denied");
	}

	/** Who else is connected is not for every authenticated peer to learn: peer events are kept to the node. */
	@Test
	void peersMayNotSubscribeToTheEventsThatTellOtherPeersIds() {
		RemotePeer peer = connectAsTheProfilesUser();
		for (String event : new String[] { "peer:connect", "peer:disconnect" }) {
			Throwable refused = catchThrowable(() -> peer.subscribe(event, (args) -> {
			}).join());
			assertThat(refused.getCause()).as(event)
				.isInstanceOf(RemoteAccessDeniedException.class)
				.hasMessageContaining("Access denied to event '" + event + "'")
				.hasMessageContaining("netron.subscribable-events");
		}
		peer.subscribe("service:expose", (args) -> {
		}).join();
	}

	@Test
	void theDemosOwnClientsSendTheProfilesCredentials() {
		assertThat(this.calculator.add(1, 2)).isEqualTo(3.0);
		assertThat(catchThrowable(this.calculator::clearMemory)).isInstanceOf(RemoteAccessDeniedException.class);
	}

	/**
	 * The HTTP transport passes through the same filter chain as the upgrade: 401 without
	 * credentials, the profile's user served, {@code @PreAuthorize} answered with 403; a JSON POST
	 * with credentials needs no CSRF token (the chain of /netron/** disables CSRF: no cookie session).
	 */
	@Test
	void theHttpTransportIsSecuredLikeTheUpgrade() throws Exception {
		String add = "{\"id\":\"1\",\"service\":\"calculator@1.0.0\",\"method\":\"add\",\"input\":[2,3]}";
		HttpResponse<String> anonymous = invoke(add, null);
		assertThat(anonymous.statusCode()).isEqualTo(401);
		String basic = "Basic " + Base64.getEncoder().encodeToString("netron:netron-secret".getBytes(StandardCharsets.UTF_8));
		HttpResponse<String> served = invoke(add, basic);
		assertThat(served.statusCode()).isEqualTo(200);
		assertThat(served.body()).contains("\"data\":5");
		HttpResponse<String> denied = invoke("{\"id\":\"2\",\"service\":\"calculator@1.0.0\",\"method\":\"clearMemory\"}",
				basic);
		assertThat(denied.statusCode()).isEqualTo(403);
		assertThat(denied.body()).contains("\"code\":\"403\"", "Access denied to calculator@1.0.0.clearMemory");
		// the API description is protected like the endpoints
		HttpResponse<String> description = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/netron/openapi.json")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(description.statusCode()).isEqualTo(401);
	}

	private static HttpResponse<String> invoke(String body, @org.jspecify.annotations.Nullable String authorization)
			throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/netron/invoke"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void healthNeedsNoCredentials() throws Exception {
		HttpResponse<String> health = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/actuator/health")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(health.statusCode()).isEqualTo(200);
	}

}
