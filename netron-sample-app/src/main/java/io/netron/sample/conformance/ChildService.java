package io.netron.sample.conformance;

import io.netron.annotation.NetronService;
import io.netron.annotation.Public;

/**
 * {@code conformance.child@1.0.0}: handed out by reference by {@link ConformanceV1#child()}.
 */
@NetronService(value = "conformance.child@1.0.0", expose = false)
public class ChildService {

	@Public
	public String tag = "child";

	@Public
	public String hello(String name) {
		return "hello, " + name;
	}

}
