package io.netron.core;

import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The rules of {@link PeerPolicy} and the checks of {@link ConnectionLimits}.
 */
class PeerPolicyTests {

	private static final Principal ALICE = () -> "alice";

	@Test
	void theDefaultsLetAnyPeerExposeAnyNameAndSubscribeToAnyEvent() {
		PeerPolicy policy = PeerPolicy.defaults();
		assertThat(policy.refuseExposure(null, "greeter")).isNull();
		assertThat(policy.maySubscribe("peer:connect")).isTrue();
		assertThat(policy.remoteMayShadowLocal()).isFalse();
	}

	@Test
	void exposureIsLimitedByPrincipalAndNamePattern() {
		PeerPolicy policy = new PeerPolicy(true, Set.of("alice"), List.of("reports*", "audit"), false, List.of("service:*"));
		assertThat(policy.refuseExposure(ALICE, "reports.daily")).isNull();
		assertThat(policy.refuseExposure(ALICE, "audit")).isNull();
		assertThat(policy.refuseExposure(ALICE, "auditor")).isEqualTo(
				"service 'auditor' may not be exposed by peers (netron.remote-exposure.services)");
		assertThat(policy.refuseExposure(() -> "bob", "reports")).isEqualTo(
				"principal 'bob' may not expose services (netron.remote-exposure.principals)");
		assertThat(policy.refuseExposure(null, "reports")).isEqualTo(
				"an unauthenticated peer may not expose services (netron.remote-exposure.principals)");
		assertThat(policy.maySubscribe("service:expose")).isTrue();
		assertThat(policy.maySubscribe("peer:connect")).isFalse();
	}

	@Test
	void exposureCanBeTurnedOff() {
		PeerPolicy policy = new PeerPolicy(false, Set.of(), List.of("*"), false, List.of("*"));
		assertThat(policy.refuseExposure(ALICE, "anything")).isEqualTo(
				"remote exposure is disabled (netron.remote-exposure.enabled)");
	}

	@Test
	void limitsAreChecked() {
		assertThatIllegalArgumentException().isThrownBy(
				() -> new ConnectionLimits(0, 0, 10, Duration.ZERO, Duration.ZERO));
		assertThatIllegalArgumentException().isThrownBy(
				() -> new ConnectionLimits(10, -1, 10, Duration.ZERO, Duration.ZERO));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ConnectionLimits(10, 0, 10, Duration.ofSeconds(30), Duration.ofSeconds(30)))
			.withMessageContaining("must be longer than pingInterval");
		assertThat(new ConnectionLimits(10, 0, 10, Duration.ZERO, Duration.ofSeconds(5)).idleTimeout())
			.isEqualTo(Duration.ofSeconds(5));
	}

}
