package io.netron.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * The future of a remote answer, completed on the thread that read the answer (a transport I/O
 * thread) with no hand-off, yet safe for callers: a thread waiting in {@code get()} or
 * {@code join()} is woken directly, while callbacks added before the answer came ({@code thenApply},
 * {@code whenComplete}, ...) run on the node's workers, never on the I/O thread. Callbacks added
 * after it came run on the thread that adds them, as with any {@code CompletableFuture}, and the
 * {@code ...Async} variants without an executor run on the workers.
 *
 * <p>A plain {@code CompletableFuture} runs its callbacks on whichever thread completes it; this
 * one routes every dependent stage through an executor that hands the callback to a worker only
 * while {@link #complete} is running, which is when the completing thread would be the I/O thread.
 *
 * @param <T> the answer's type
 */
final class AnswerFuture<T> extends CompletableFuture<T> {

	/** Set while this thread completes an answer: callbacks it triggers go to the workers. */
	private static final ThreadLocal<Boolean> COMPLETING = ThreadLocal.withInitial(() -> Boolean.FALSE);

	private final Executor workers;

	private final Executor callbacks;

	/**
	 * A future whose callbacks go through {@code callbacks}.
	 * @param workers where {@code ...Async} callbacks without an executor run
	 * @param callbacks {@link #callbacksOn(Executor) callbacksOn(workers)}, made once per node
	 */
	AnswerFuture(Executor workers, Executor callbacks) {
		this.workers = workers;
		this.callbacks = callbacks;
	}

	/**
	 * {@return where the callbacks of answer futures run} On the workers when {@link #deliver}
	 * triggers them (the completing thread is then the I/O thread), else on the calling thread.
	 */
	static Executor callbacksOn(Executor workers) {
		return (task) -> {
			if (COMPLETING.get()) {
				workers.execute(task);
			}
			else {
				task.run();
			}
		};
	}

	/**
	 * Completes {@code future} with {@code value} or {@code failure}; the callbacks this triggers
	 * are handed to the workers.
	 */
	static <T> void deliver(CompletableFuture<T> future, @Nullable T value, @Nullable Throwable failure) {
		boolean outer = !COMPLETING.get();
		if (outer) {
			COMPLETING.set(Boolean.TRUE);
		}
		try {
			if (failure != null) {
				future.completeExceptionally(failure);
			}
			else {
				future.complete(value);
			}
		}
		finally {
			if (outer) {
				COMPLETING.remove();
			}
		}
	}

	@Override
	public <U> CompletableFuture<U> newIncompleteFuture() {
		return new AnswerFuture<>(this.workers, this.callbacks);
	}

	@Override
	public Executor defaultExecutor() {
		return this.workers;
	}

	@Override
	public <U> CompletableFuture<U> thenApply(Function<? super T, ? extends U> fn) {
		return thenApplyAsync(fn, this.callbacks);
	}

	@Override
	public CompletableFuture<Void> thenAccept(Consumer<? super T> action) {
		return thenAcceptAsync(action, this.callbacks);
	}

	@Override
	public CompletableFuture<Void> thenRun(Runnable action) {
		return thenRunAsync(action, this.callbacks);
	}

	@Override
	public <U, V> CompletableFuture<V> thenCombine(CompletionStage<? extends U> other,
			BiFunction<? super T, ? super U, ? extends V> fn) {
		return thenCombineAsync(other, fn, this.callbacks);
	}

	@Override
	public <U> CompletableFuture<Void> thenAcceptBoth(CompletionStage<? extends U> other,
			BiConsumer<? super T, ? super U> action) {
		return thenAcceptBothAsync(other, action, this.callbacks);
	}

	@Override
	public CompletableFuture<Void> runAfterBoth(CompletionStage<?> other, Runnable action) {
		return runAfterBothAsync(other, action, this.callbacks);
	}

	@Override
	public <U> CompletableFuture<U> applyToEither(CompletionStage<? extends T> other, Function<? super T, U> fn) {
		return applyToEitherAsync(other, fn, this.callbacks);
	}

	@Override
	public CompletableFuture<Void> acceptEither(CompletionStage<? extends T> other, Consumer<? super T> action) {
		return acceptEitherAsync(other, action, this.callbacks);
	}

	@Override
	public CompletableFuture<Void> runAfterEither(CompletionStage<?> other, Runnable action) {
		return runAfterEitherAsync(other, action, this.callbacks);
	}

	@Override
	public <U> CompletableFuture<U> thenCompose(Function<? super T, ? extends CompletionStage<U>> fn) {
		return thenComposeAsync(fn, this.callbacks);
	}

	@Override
	public <U> CompletableFuture<U> handle(BiFunction<? super T, Throwable, ? extends U> fn) {
		return handleAsync(fn, this.callbacks);
	}

	@Override
	public CompletableFuture<T> whenComplete(BiConsumer<? super T, ? super Throwable> action) {
		return whenCompleteAsync(action, this.callbacks);
	}

	@Override
	public CompletableFuture<T> exceptionally(Function<Throwable, ? extends T> fn) {
		return exceptionallyAsync(fn, this.callbacks);
	}

	@Override
	public CompletableFuture<T> exceptionallyCompose(Function<Throwable, ? extends CompletionStage<T>> fn) {
		return exceptionallyComposeAsync(fn, this.callbacks);
	}

}
