package io.netron.sample.conformance;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import io.netron.core.Netron;
import io.netron.protocol.JsError;
import io.netron.protocol.JsErrorType;
import io.netron.protocol.JsMap;
import io.netron.stream.NetronReadableStream;
import io.netron.stream.NetronWritableStream;

import org.jspecify.annotations.Nullable;

import org.springframework.context.annotation.Lazy;

/**
 * {@code conformance@1.0.0}: the surface TypeScript peers check against. Members are declared in
 * the order of the TypeScript reference service, so that the definitions match.
 */
@NetronService("conformance@1.0.0")
public class ConformanceV1 {

	@Public(readonly = true)
	public String version = "1.0.0";

	@Public
	public double counter = 0;

	private final Netron netron;

	private final ChildService child = new ChildService();

	private final ExtraService extra = new ExtraService();

	public ConformanceV1(@Lazy Netron netron) {
		this.netron = netron;
	}

	@Public
	public String whoami() {
		return "conformance@1.0.0";
	}

	@Public
	public @Nullable Object echo(@Nullable Object value) {
		return value;
	}

	@Public
	public double add(double a, double b) {
		return a + b;
	}

	@Public
	public void fail(@Nullable String message) {
		throw JsError.of(JsErrorType.ERROR, message);
	}

	@Public
	public void failType(@Nullable String message) {
		throw JsError.of(JsErrorType.TYPE_ERROR, message);
	}

	@Public
	public void failCustom(String message, String code) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("retryable", false);
		details.put("attempts", 3);
		throw JsError.of(JsErrorType.ERROR, message).with("code", code).with("details", details);
	}

	@Public
	public CompletableFuture<Void> failAsync(@Nullable String message) {
		return CompletableFuture.runAsync(() -> {
			throw JsError.of(JsErrorType.RANGE_ERROR, message);
		});
	}

	@Public
	public JsMap getMap() {
		JsMap nested = new JsMap();
		nested.put("x", List.of(1, 2, 3));
		JsMap map = new JsMap();
		map.put("alpha", 1);
		map.put("beta", "two");
		map.put(3, true);
		map.put("nested", nested);
		return map;
	}

	@Public
	public Instant getDate() {
		return Instant.parse("2024-01-02T03:04:05.678Z");
	}

	@Public
	public Set<Object> getSet() {
		return new LinkedHashSet<>(List.of(1, "two", 3.5));
	}

	@Public
	public ChildService child() {
		return this.child;
	}

	@Public
	public CompletableFuture<String> callChild(Object child, String name) {
		if (!(child instanceof ChildService service)) {
			return CompletableFuture.failedFuture(JsError.of(JsErrorType.TYPE_ERROR, "child is not a conformance.child reference"));
		}
		return CompletableFuture.completedFuture(service.hello(name));
	}

	/**
	 * A stream of 0..n-1 to the caller. {@code peerId} names the caller in the TypeScript
	 * reference; this node always streams to the calling connection.
	 */
	@Public
	public NetronWritableStream<Integer> numbers(double n, @Nullable String peerId) {
		return NetronWritableStream.from(IntStream.range(0, (int) n).boxed().iterator());
	}

	@Public
	public NetronWritableStream<Integer> numbersEager(double n, @Nullable String peerId) {
		NetronWritableStream<Integer> stream = NetronWritableStream.create();
		for (int i = 0; i < (int) n; i++) {
			stream.write(i);
		}
		stream.end();
		return stream;
	}

	@Public
	public CompletableFuture<Map<String, Object>> sumStream(NetronReadableStream<Number> stream) {
		double[] totals = new double[2];
		return stream.forEach((value) -> {
			totals[0]++;
			totals[1] += value.doubleValue();
		}).thenApply((ignored) -> {
			Map<String, Object> result = new LinkedHashMap<>();
			result.put("count", totals[0]);
			result.put("sum", totals[1]);
			return result;
		});
	}

	@Public
	public CompletableFuture<Boolean> ping(String eventName, @Nullable Object payload) {
		return this.netron.emit(eventName, payload).thenApply((ignored) -> true);
	}

	@Public
	public CompletableFuture<String> exposeExtra() {
		return CompletableFuture.completedFuture(this.netron.exposeService(this.extra).id());
	}

	@Public
	public CompletableFuture<Boolean> unexposeExtra() {
		this.netron.unexposeService("conformance.extra@1.0.0");
		return CompletableFuture.completedFuture(true);
	}

}
