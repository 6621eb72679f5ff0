package io.netron.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import io.netron.protocol.JsError;
import io.netron.protocol.JsErrorType;

import org.jspecify.annotations.Nullable;

/**
 * Services the peer tests expose.
 */
final class TestServices {

	private TestServices() {
	}

	record Point(int x, int y) {
	}

	@NetronService("calculator@1.0.0")
	static class Calculator {

		@Public(readonly = true)
		public String version = "1.0.0";

		@Public
		public int counter;

		private final Counter counterService = new Counter();

		final CountDownLatch release = new CountDownLatch(1);

		@Public
		public long add(long a, long b) {
			return a + b;
		}

		@Public
		public Object echo(@Nullable Object value) {
			return value;
		}

		@Public
		public Point move(Point point, int dx) {
			return new Point(point.x() + dx, point.y());
		}

		@Public
		public List<Point> points(int n) {
			return java.util.stream.IntStream.range(0, n).mapToObj((i) -> new Point(i, -i)).toList();
		}

		@Public
		public CompletableFuture<String> slow(String text) {
			return CompletableFuture.supplyAsync(() -> text.toUpperCase(),
					CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
		}

		final CountDownLatch parallel = new CountDownLatch(16);

		/** Returns true only if 16 calls run at the same time. */
		@Public
		public boolean meet() throws InterruptedException {
			this.parallel.countDown();
			return this.parallel.await(5, TimeUnit.SECONDS);
		}

		@Public
		public String block() throws InterruptedException {
			this.release.await(10, TimeUnit.SECONDS);
			return "released";
		}

		@Public
		public void fail(String message) {
			throw new IllegalStateException(message);
		}

		@Public
		public void failTyped(String message) {
			throw JsError.of(JsErrorType.RANGE_ERROR, message).with("code", "E_RANGE").with("limit", 10);
		}

		@Public
		public CompletableFuture<String> failAsync(String message) {
			return CompletableFuture.failedFuture(JsError.of(JsErrorType.TYPE_ERROR, message));
		}

		@Public
		public Counter counterService() {
			return this.counterService;
		}

		@Public
		public Counter newCounter() {
			return new Counter();
		}

		@Public
		public int readCounter(Counter counter) {
			return counter.value;
		}

		@Public
		public Instant when(Instant instant) {
			return instant.plusSeconds(1);
		}

		@Public
		public Map<String, Object> describe() {
			return Map.of("name", "calc");
		}

		public String secret() {
			return "secret";
		}

	}

	@NetronService(value = "counter@1.0.0", expose = false)
	static class Counter {

		@Public
		public int value;

		@Public
		public int increment() {
			return ++this.value;
		}

		@Public
		public Counter nested() {
			return new Counter();
		}

	}

	@NetronService("calculator@2.0.0")
	static class CalculatorV2 {

		@Public
		public String whoami() {
			return "calculator@2.0.0";
		}

	}

	@NetronService("calculator@1.5.0")
	static class CalculatorV15 {

		@Public
		public String whoami() {
			return "calculator@1.5.0";
		}

	}

}
