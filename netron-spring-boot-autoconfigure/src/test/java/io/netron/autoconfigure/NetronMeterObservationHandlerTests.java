package io.netron.autoconfigure;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.netron.observation.DefaultNetronServerObservationConvention;
import io.netron.observation.NetronRequestObservationContext.Outcome;
import io.netron.observation.NetronServerObservationContext;
import io.netron.protocol.PacketType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Netron's meter handler records requests into the timers Micrometer's default handler would use
 * (same name and tags, {@code error} included), one timer per set of key values.
 */
class NetronMeterObservationHandlerTests {

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final ObservationRegistry registry = ObservationRegistry.create();

	NetronMeterObservationHandlerTests() {
		this.registry.observationConfig().observationHandler(new NetronMeterObservationHandler(this.meters));
	}

	private void serve(String member, Outcome outcome, String errorName, Throwable error) {
		NetronServerObservationContext context = new NetronServerObservationContext(PacketType.CALL, "calc@1.0.0", member,
				"peer-1");
		Observation observation = Observation.createNotStarted(null, new DefaultNetronServerObservationConvention(),
				() -> context, this.registry).start();
		context.setEnd(outcome, errorName);
		if (error != null) {
			observation.error(error);
		}
		observation.stop();
	}

	@Test
	void requestsWithTheSameKeyValuesShareATimerWithTheDefaultHandlersTags() {
		serve("add", Outcome.SUCCESS, null, null);
		serve("add", Outcome.SUCCESS, null, null);
		serve("add", Outcome.ERROR, "RangeError", new IllegalStateException("boom"));
		Timer success = this.meters.get("netron.server.requests")
			.tags("netron.type", "call", "netron.service", "calc@1.0.0", "netron.member", "add", "outcome", "SUCCESS",
					"netron.error", "none", "error", "none")
			.timer();
		assertThat(success.count()).isEqualTo(2);
		Timer failure = this.meters.get("netron.server.requests")
			.tags("outcome", "ERROR", "netron.error", "RangeError", "error", "IllegalStateException")
			.timer();
		assertThat(failure.count()).isEqualTo(1);
		assertThat(this.meters.find("netron.server.requests").timers()).hasSize(2);
		// the high cardinality peer id is never a tag
		assertThat(success.getId().getTag("netron.peer.id")).isNull();
	}

}
