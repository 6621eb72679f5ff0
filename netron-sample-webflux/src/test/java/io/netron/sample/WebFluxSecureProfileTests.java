package io.netron.sample;

import java.time.Duration;

import io.netron.core.HandshakeRefusedException;
import io.netron.core.Netron;
import io.netron.core.NetronOptions;
import io.netron.sample.webflux.NetronWebFluxSampleApplication;
import io.netron.transport.ReactorNettyConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The servlet sample's security tests against the WebFlux sample with the {@code secure} profile:
 * the upgrade and the HTTP transport authenticated by the application's
 * {@code SecurityWebFilterChain}, method security on the principal it established.
 */
@SpringBootTest(classes = NetronWebFluxSampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("secure")
@ExtendWith(OutputCaptureExtension.class)
class WebFluxSecureProfileTests extends SecureProfileTests {

	/**
	 * A refusal by the filter chain is logged by the node (a line a second at most: refused again
	 * until one is), and a Reactor Netty client reports its status.
	 */
	@Test
	void anUpgradeRefusedByTheFilterChainIsLoggedAndReportedWithItsStatus(CapturedOutput output) {
		try (Netron client = new Netron(NetronOptions.defaults().withRequestTimeout(Duration.ofSeconds(5)),
				new ReactorNettyConnector(1 << 20, 1 << 20))) {
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
				Throwable refused = catchThrowable(() -> client.connect("ws://127.0.0.1:" + PORT + "/netron").join());
				assertThat(refused).hasCauseInstanceOf(HandshakeRefusedException.class);
				assertThat(((HandshakeRefusedException) refused.getCause()).statusCode()).isEqualTo(401);
				assertThat(output.getOut()).contains("Refused a Netron connection from",
						"401 Unauthorized (the handshake was not authenticated)");
			});
		}
	}

}
