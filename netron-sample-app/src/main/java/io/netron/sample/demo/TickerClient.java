package io.netron.sample.demo;

import java.util.stream.Stream;

import io.netron.annotation.NetronClient;

/**
 * Reads the ticker's stream as a {@link Stream}.
 */
@NetronClient(value = "ticker@^1.0.0", peer = "self")
public interface TickerClient {

	Stream<Integer> countdown(int from);

}
