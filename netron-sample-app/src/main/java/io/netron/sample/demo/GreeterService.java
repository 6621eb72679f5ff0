package io.netron.sample.demo;

import io.netron.annotation.NetronService;
import io.netron.annotation.Public;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/**
 * The smallest Netron service: one method and one readonly property.
 */
@ConditionalOnProperty(prefix = "sample.demo", name = "enabled", havingValue = "true", matchIfMissing = true)
@NetronService("greeter@1.0.0")
public class GreeterService {

	/** Readonly: remote peers may read it, the node refuses writes. */
	@Public(readonly = true)
	public String language = "en";

	@Public
	public String greet(String name) {
		return "Hello, " + name + "!";
	}

}
