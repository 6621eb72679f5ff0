package io.netron.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags {@code netron.server.requests} observations; implement it (or extend
 * {@link DefaultNetronServerObservationConvention}) and declare it as a bean to change them.
 */
public interface NetronServerObservationConvention extends ObservationConvention<NetronServerObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof NetronServerObservationContext;
	}

}
