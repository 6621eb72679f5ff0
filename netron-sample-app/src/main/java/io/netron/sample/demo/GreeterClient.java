package io.netron.sample.demo;

import io.netron.annotation.NetronClient;
import io.netron.annotation.NetronProperty;

/**
 * A typed client of {@code greeter@1.x} on the peer configured as {@code netron.peers.self}.
 */
@NetronClient(value = "greeter@^1.0.0", peer = "self")
public interface GreeterClient {

	String greet(String name);

	@NetronProperty("language")
	String language();

}
