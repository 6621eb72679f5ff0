package io.netron.observation;

import io.micrometer.common.KeyValues;

/**
 * The default {@link NetronServerObservationConvention}: the observation {@code netron.server.requests}
 * (a timer of that name, and spans named like {@code "netron serve call calculator@1.0.0.add"}),
 * with low cardinality key values {@code netron.type}, {@code netron.service},
 * {@code netron.member}, {@code outcome}, {@code netron.error}, {@code netron.transport}, and the high cardinality
 * {@code netron.peer.id}.
 */
public class DefaultNetronServerObservationConvention implements NetronServerObservationConvention {

	/** The observation's name. */
	public static final String NAME = "netron.server.requests";

	/** The convention. */
	public DefaultNetronServerObservationConvention() {
	}

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(NetronServerObservationContext context) {
		return NetronRequestKeyValues.contextualName("serve", context);
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(NetronServerObservationContext context) {
		return NetronRequestKeyValues.low(context);
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(NetronServerObservationContext context) {
		return NetronRequestKeyValues.high(context);
	}

}
