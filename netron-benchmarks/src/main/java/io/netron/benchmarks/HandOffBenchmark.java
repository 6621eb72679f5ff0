package io.netron.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one hand-off to a worker costs on this machine, alone: a thread hands a task to an idle
 * pool and waits for its answer, which wakes two parked threads (the worker, then the waiter), as
 * a WORKER call at one in flight does on the serving node (the worker, then the I/O thread). The
 * pools: {@code linked-blocking} is the node's default pool (a {@link ThreadPoolExecutor} of as
 * many threads as cores on a {@link LinkedBlockingQueue}); {@code linked-transfer} the same on a
 * {@link LinkedTransferQueue}, which hands a task to a waiting worker without a lock;
 * {@code fork-join} a {@link ForkJoinPool} in FIFO mode. {@code inline} runs the task on the
 * calling thread, the floor.
 *
 * <pre>
 * java -jar netron-benchmarks/target/netron-benchmarks-jmh.jar HandOffBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class HandOffBenchmark {

	@Param({ "inline", "linked-blocking", "linked-transfer", "fork-join" })
	public String pool;

	private ExecutorService executor;

	@Setup
	public void start() {
		int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
		this.executor = switch (this.pool) {
			case "inline" -> null;
			case "linked-blocking" -> new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
					new LinkedBlockingQueue<>(10_000));
			case "linked-transfer" -> new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
					new LinkedTransferQueue<>());
			case "fork-join" -> new ForkJoinPool(threads, ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, true);
			default -> throw new IllegalArgumentException(this.pool);
		};
	}

	@TearDown
	public void stop() {
		if (this.executor != null) {
			this.executor.shutdownNow();
		}
	}

	@Benchmark
	public Object handOffAndWait() {
		if (this.executor == null) {
			return answer();
		}
		CompletableFuture<Object> answer = new CompletableFuture<>();
		this.executor.execute(() -> answer.complete(answer()));
		return answer.join();
	}

	private static Object answer() {
		return "hello";
	}

}
