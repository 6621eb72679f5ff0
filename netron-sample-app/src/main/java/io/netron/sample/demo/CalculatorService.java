package io.netron.sample.demo;

import java.util.concurrent.CompletableFuture;

import io.netron.annotation.Execution;
import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import io.netron.protocol.JsError;
import io.netron.protocol.JsErrorType;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.security.access.prepost.PreAuthorize;

/**
 * A calculator with a sub-service: {@link #memory()} hands out a {@link MemoryService} by
 * reference; callers get a proxy of it.
 */
@ConditionalOnProperty(prefix = "sample.demo", name = "enabled", havingValue = "true", matchIfMissing = true)
@NetronService("calculator@1.0.0")
public class CalculatorService {

	private final MemoryService memory = new MemoryService();

	/** Never blocks: served on the thread that read the request, with no hand-off to a worker. */
	@Public(execution = Execution.INLINE)
	public double add(double a, double b) {
		return a + b;
	}

	@Public
	public CompletableFuture<Double> divide(double a, double b) {
		if (b == 0) {
			// a JavaScript RangeError for TypeScript callers, a RemoteInvocationException for Java ones
			return CompletableFuture.failedFuture(JsError.of(JsErrorType.RANGE_ERROR, "Division by zero").with("code", "E_DIV0"));
		}
		return CompletableFuture.completedFuture(a / b);
	}

	@Public
	public MemoryService memory() {
		return this.memory;
	}

	/** Guarded when method security is on (the {@code secure} profile): administrators only. */
	@Public
	@PreAuthorize("hasRole('ADMIN')")
	public void clearMemory() {
		this.memory.store(0);
	}

}
