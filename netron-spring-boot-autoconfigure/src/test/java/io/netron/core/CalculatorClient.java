package io.netron.core;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.netron.annotation.NetronProperty;
import io.netron.annotation.RemoteMethod;

/**
 * A typed client of {@link TestServices.Calculator}.
 */
interface CalculatorClient {

	long add(long a, long b);

	CompletableFuture<Long> addAsync(long a, long b);

	@RemoteMethod("add")
	CompletableFuture<Integer> plus(int a, int b);

	Object echo(Object value);

	@RemoteMethod("echo")
	TestServices.Point echoAsPoint(Object value);

	TestServices.Point move(TestServices.Point point, int dx);

	List<TestServices.Point> points(int n);

	CompletableFuture<String> slow(String text);

	String block();

	void fail(String message);

	void failTyped(String message);

	CompletableFuture<String> failAsync(String message);

	CounterClient counterService();

	CounterClient newCounter();

	int readCounter(CounterClient counter);

	Instant when(Instant instant);

	String secret();

	@NetronProperty("version")
	String version();

	@NetronProperty("counter")
	int counter();

	@NetronProperty("counter")
	void counter(int value);

	@NetronProperty("version")
	void version(String value);

	default long addTwice(long a) {
		return add(a, a);
	}

	interface CounterClient {

		int increment();

		CounterClient nested();

		@NetronProperty("value")
		int value();

	}

}
