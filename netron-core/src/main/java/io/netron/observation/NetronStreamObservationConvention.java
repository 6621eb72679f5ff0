package io.netron.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and tags {@code netron.streams} observations; implement it (or extend
 * {@link DefaultNetronStreamObservationConvention}) and declare it as a bean to change them.
 */
public interface NetronStreamObservationConvention extends ObservationConvention<NetronStreamObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof NetronStreamObservationContext;
	}

}
