package io.netron.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags {@code netron.client.requests} observations; implement it (or extend
 * {@link DefaultNetronClientObservationConvention}) and declare it as a bean to change them.
 */
public interface NetronClientObservationConvention extends ObservationConvention<NetronClientObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof NetronClientObservationContext;
	}

}
