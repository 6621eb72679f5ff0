package io.netron.sample.conformance;

import io.netron.annotation.NetronService;
import io.netron.annotation.Public;

import org.jspecify.annotations.Nullable;

/**
 * {@code conformance@2.0.0}: the newer version a bare {@code conformance} lookup resolves to.
 */
@NetronService("conformance@2.0.0")
public class ConformanceV2 {

	@Public(readonly = true)
	public String version = "2.0.0";

	@Public
	public double counter = 0;

	@Public
	public String whoami() {
		return "conformance@2.0.0";
	}

	@Public
	public @Nullable Object echo(@Nullable Object value) {
		return value;
	}

	@Public
	public double add(double a, double b) {
		return a + b;
	}

}
