package io.netron.observation;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The default {@link NetronStreamObservationConvention}: the observation {@code netron.streams} (a
 * timer of how long streams stay open), with the low cardinality key values
 * {@code netron.stream.direction} ({@code read}, {@code write}) and {@code outcome}
 * ({@code SUCCESS}, {@code ERROR}), and the high cardinality {@code netron.peer.id} and
 * {@code netron.stream.chunks}.
 */
public class DefaultNetronStreamObservationConvention implements NetronStreamObservationConvention {

	/** The observation's name. */
	public static final String NAME = "netron.streams";

	/** The convention. */
	public DefaultNetronStreamObservationConvention() {
	}

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(NetronStreamObservationContext context) {
		return "netron stream " + (context.isReading() ? "read" : "write");
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(NetronStreamObservationContext context) {
		return KeyValues.of(KeyValue.of("netron.stream.direction", context.isReading() ? "read" : "write"),
				KeyValue.of("outcome", (context.getErrorName() != null) ? "ERROR" : "SUCCESS"));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(NetronStreamObservationContext context) {
		return KeyValues.of(KeyValue.of("netron.peer.id", context.getPeerId()),
				KeyValue.of("netron.stream.chunks", Long.toString(context.getChunks())));
	}

}
