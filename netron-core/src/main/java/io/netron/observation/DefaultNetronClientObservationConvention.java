package io.netron.observation;

import io.micrometer.common.KeyValues;

/**
 * The default {@link NetronClientObservationConvention}: the observation {@code netron.client.requests}
 * (a timer of that name, and spans named like {@code "netron send call calculator@1.0.0.add"}), with
 * the same key values as {@link DefaultNetronServerObservationConvention}; {@code outcome} may also be
 * {@code TIMEOUT} or {@code DISCONNECTED}.
 */
public class DefaultNetronClientObservationConvention implements NetronClientObservationConvention {

	/** The observation's name. */
	public static final String NAME = "netron.client.requests";

	/** The convention. */
	public DefaultNetronClientObservationConvention() {
	}

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(NetronClientObservationContext context) {
		return NetronRequestKeyValues.contextualName("send", context);
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(NetronClientObservationContext context) {
		return NetronRequestKeyValues.low(context);
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(NetronClientObservationContext context) {
		return NetronRequestKeyValues.high(context);
	}

}
