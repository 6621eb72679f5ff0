package io.netron.sample.conformance;

import io.netron.annotation.NetronService;
import io.netron.annotation.Public;

/**
 * {@code conformance.extra@1.0.0}: exposed and unexposed at runtime by
 * {@link ConformanceV1#exposeExtra()} and {@link ConformanceV1#unexposeExtra()}.
 */
@NetronService(value = "conformance.extra@1.0.0", expose = false)
public class ExtraService {

	@Public
	public String ping() {
		return "extra-pong";
	}

}
