package io.netron.sample.demo;

import java.util.stream.IntStream;

import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import io.netron.stream.NetronWritableStream;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/**
 * A stream producer: {@link #countdown(int)} streams n, n-1, ..., 1 to the caller.
 */
@ConditionalOnProperty(prefix = "sample.demo", name = "enabled", havingValue = "true", matchIfMissing = true)
@NetronService("ticker@1.0.0")
public class TickerService {

	@Public
	public NetronWritableStream<Integer> countdown(int from) {
		return NetronWritableStream.from(IntStream.iterate(from, (i) -> i > 0, (i) -> i - 1).boxed().iterator());
	}

}
