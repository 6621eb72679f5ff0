package io.netron.stream;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import io.netron.NetronException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reading end of a stream from a peer: chunks are reordered by index (at most 10,000 held
 * out of order), delivered in order to one subscriber as it requests them, and the stream ends
 * with the writer's end-of-stream packet or fails with its STREAM_ERROR.
 *
 * <p>Consume it as a {@link Flow.Publisher} (demand-driven: delivery waits for
 * {@code request(n)} and resumes with it), as a blocking {@link #iterator()} or
 * {@link #stream()}, or with {@link #forEach(Consumer)} / {@link #toList()}.
 *
 * <p>The wire has no flow control: chunks keep arriving while a consumer is slow. A stream holds
 * at most {@code netron.stream-max-buffered-chunks} chunks for its consumer (100,000 by
 * default); one more fails the stream with a message saying so, and the rest of its chunks are
 * dropped. A non-live stream that receives nothing for {@code netron.stream-timeout} (60 s)
 * fails with "Stream &lt;id&gt; inactive for &lt;ms&gt;ms, closing.".
 *
 * @param <T> the chunk type
 */
public final class NetronReadableStream<T> implements Flow.Publisher<T> {

	private static final Logger logger = LoggerFactory.getLogger(NetronReadableStream.class);

	private static final Object NULL = new Object();

	private final Object lock = new Object();

	private final boolean live;

	private volatile long id;

	private @Nullable StreamRegistry registry;

	private @Nullable StreamSettings settings;

	private Function<@Nullable Object, @Nullable Object> converter = Function.identity();

	private final Map<Long, Chunk> reorder = new HashMap<>();

	private final ArrayDeque<Chunk> ready = new ArrayDeque<>();

	/** Wire bytes of the chunks held, counted against the connection's limit. */
	private long heldBytes;

	/** Whether a call or result named this stream (else it was started by early chunks only). */
	private volatile boolean announced;

	/** Whether the registry counts this stream among those started without being announced. */
	private final java.util.concurrent.atomic.AtomicBoolean countedUnannounced = new java.util.concurrent.atomic.AtomicBoolean();

	private long expected;

	private long endIndex = -1;

	private boolean completed;

	private @Nullable Throwable failure;

	private boolean terminated;

	private Flow.@Nullable Subscriber<? super T> subscriber;

	private long demand;

	private boolean draining;

	private volatile long lastActivity = System.nanoTime();

	private @Nullable ScheduledFuture<?> timer;

	private NetronReadableStream(boolean live) {
		this.live = live;
	}

	/**
	 * A reading stream to pass as an argument: the peer it is sent to writes into it (a
	 * {@code readable} stream reference).
	 * @param <T> the chunk type
	 * @return a new stream
	 */
	public static <T> NetronReadableStream<T> create() {
		return new NetronReadableStream<>(false);
	}

	/**
	 * A live reading stream to pass as an argument (no inactivity timeout).
	 * @param <T> the chunk type
	 * @return a new live stream
	 */
	public static <T> NetronReadableStream<T> createLive() {
		return new NetronReadableStream<>(true);
	}

	static NetronReadableStream<Object> bound(StreamRegistry registry, long id, boolean live, StreamSettings settings,
			boolean announced) {
		NetronReadableStream<Object> stream = new NetronReadableStream<>(live);
		stream.bind(registry, id, settings);
		stream.announced = announced;
		stream.countedUnannounced.set(!announced);
		return stream;
	}

	/**
	 * Stops counting this stream as unannounced; true only for the first caller, so that the
	 * registry's count goes down once whether the stream is announced, refused or removed first.
	 */
	boolean uncountUnannounced() {
		return this.countedUnannounced.compareAndSet(true, false);
	}

	/** A call or result named this stream: its reader will come. */
	void announce() {
		this.announced = true;
	}

	void bind(StreamRegistry registry, long id, StreamSettings settings) {
		synchronized (this.lock) {
			if (this.registry != null) {
				throw new IllegalStateException("Stream " + this.id + " is already connected to a peer");
			}
			this.registry = registry;
			this.id = id;
			this.settings = settings;
			this.lastActivity = System.nanoTime();
			if (!this.live) {
				scheduleInactivityCheck(settings.inactivityTimeout().toNanos());
			}
		}
	}

	/** {@return the stream id} */
	public long id() {
		return this.id;
	}

	/** {@return whether the stream is live (never times out for inactivity)} */
	public boolean isLive() {
		return this.live;
	}

	/**
	 * This stream with each chunk converted by {@code converter} before delivery (used to give
	 * chunks their declared type).
	 * @param <R> the converted chunk type
	 * @param converter converts each chunk
	 * @return this stream, typed by the converted chunks
	 */
	@SuppressWarnings("unchecked")
	public <R> NetronReadableStream<R> map(Function<? super T, ? extends R> converter) {
		synchronized (this.lock) {
			Function<@Nullable Object, @Nullable Object> previous = this.converter;
			this.converter = (value) -> ((Function<Object, Object>) (Function<?, ?>) converter).apply(previous.apply(value));
		}
		return (NetronReadableStream<R>) this;
	}

	// ------------------------------------------------------------------ from the wire

	void onChunk(long index, @Nullable Object data, boolean endOfStream, int size) {
		boolean deliver;
		boolean failed;
		synchronized (this.lock) {
			if (this.terminated || this.failure != null) {
				return;
			}
			this.lastActivity = System.nanoTime();
			StreamRegistry owner = this.registry;
			String refusal;
			if (endOfStream) {
				this.endIndex = index;
			}
			else if (index >= this.expected && !this.reorder.containsKey(index) && owner != null
					&& (refusal = owner.reserve(size)) != null) {
				failLocked(new NetronException("Stream " + this.id + " overflow: " + refusal));
			}
			else if (index >= this.expected && !this.reorder.containsKey(index)) {
				Chunk chunk = new Chunk((data != null) ? data : NULL, (owner != null) ? size : 0);
				this.heldBytes += chunk.size();
				if (index == this.expected) {
					this.ready.add(chunk);
					this.expected++;
					Chunk next;
					while ((next = this.reorder.remove(this.expected)) != null) {
						this.ready.add(next);
						this.expected++;
					}
				}
				else if (this.reorder.size() >= StreamSettings.MAX_REORDER_BUFFER) {
					failLocked(new NetronException("Buffer overflow: more than " + StreamSettings.MAX_REORDER_BUFFER
							+ " packets buffered"));
				}
				else {
					this.reorder.put(index, chunk);
				}
				int limit = (this.settings != null) ? this.settings.maxBufferedChunks() : Integer.MAX_VALUE;
				if (this.failure == null && this.ready.size() > limit) {
					failLocked(new NetronException("Stream " + this.id + " overflow: its consumer is too slow, more than "
							+ limit + " chunks wait to be read (netron.stream-max-buffered-chunks)"));
				}
			}
			if (this.failure == null && this.endIndex >= 0 && this.expected >= this.endIndex) {
				this.completed = true;
			}
			deliver = this.subscriber != null;
			failed = this.failure != null;
		}
		if (failed) {
			afterFailure();
		}
		if (deliver) {
			scheduleDrain();
		}
	}

	/** Fails the stream (STREAM_ERROR from the writer, a lost peer, overflow, inactivity). */
	void fail(Throwable cause) {
		synchronized (this.lock) {
			if (this.terminated || this.failure != null) {
				return;
			}
			failLocked(cause);
		}
		afterFailure();
		scheduleDrain();
	}

	private void failLocked(Throwable cause) {
		this.failure = cause;
		releaseHeldLocked();
		logger.debug("Stream {} failed: {}", this.id, cause.getMessage());
	}

	/** Drops the chunks held and gives their bytes back to the connection. */
	private void releaseHeldLocked() {
		this.ready.clear();
		this.reorder.clear();
		StreamRegistry owner = this.registry;
		if (owner != null && this.heldBytes > 0) {
			owner.release(this.heldBytes);
		}
		this.heldBytes = 0;
	}

	/** A failed stream that no call or result named will never be read: the registry lets it go. */
	private void afterFailure() {
		StreamRegistry owner = this.registry;
		if (!this.announced && owner != null) {
			Throwable cause;
			synchronized (this.lock) {
				cause = this.failure;
			}
			cancelTimer();
			owner.refuse(this, (cause != null) ? cause.getMessage() : "failed");
		}
	}

	private void scheduleInactivityCheck(long delayNanos) {
		StreamRegistry owner = this.registry;
		if (owner == null) {
			return;
		}
		try {
			this.timer = owner.transport().scheduler().schedule(this::checkInactivity, delayNanos, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// the node is shutting down
		}
	}

	private void checkInactivity() {
		StreamSettings current = this.settings;
		if (current == null) {
			return;
		}
		long timeout = current.inactivityTimeout().toNanos();
		boolean expire = false;
		synchronized (this.lock) {
			if (this.terminated || this.failure != null) {
				return;
			}
			long idle = System.nanoTime() - this.lastActivity;
			if (idle < timeout) {
				scheduleInactivityCheck(timeout - idle);
				return;
			}
			if (this.completed) {
				if (this.subscriber == null) {
					// everything arrived and nobody read it for a whole timeout: let it go
					this.terminated = true;
					releaseHeldLocked();
					expire = true;
				}
				else {
					return;
				}
			}
			else {
				String message = "Stream " + this.id + " inactive for " + current.inactivityTimeout().toMillis()
						+ "ms, closing.";
				logger.warn(message);
				failLocked(new NetronException(message));
			}
		}
		if (expire) {
			unregister();
		}
		else {
			afterFailure();
			scheduleDrain();
		}
	}

	// ------------------------------------------------------------------ to the consumer

	@Override
	public void subscribe(Flow.Subscriber<? super T> newSubscriber) {
		synchronized (this.lock) {
			if (this.subscriber != null) {
				newSubscriber.onSubscribe(new NoSubscription());
				newSubscriber.onError(new IllegalStateException("Stream " + this.id + " already has a subscriber"));
				return;
			}
			this.subscriber = newSubscriber;
		}
		newSubscriber.onSubscribe(new Subscription());
		scheduleDrain();
	}

	private void scheduleDrain() {
		StreamRegistry owner;
		synchronized (this.lock) {
			if (this.draining || this.subscriber == null || this.terminated) {
				return;
			}
			owner = this.registry;
			this.draining = true;
		}
		try {
			if (owner != null) {
				owner.transport().deliveryExecutor().execute(this::drain);
			}
			else {
				drain();
			}
		}
		catch (RejectedExecutionException ex) {
			synchronized (this.lock) {
				this.draining = false;
			}
		}
	}

	@SuppressWarnings("unchecked")
	private void drain() {
		while (true) {
			Flow.Subscriber<? super T> target;
			Object item = null;
			Throwable error = null;
			boolean complete = false;
			synchronized (this.lock) {
				target = this.subscriber;
				if (target == null || this.terminated) {
					this.draining = false;
					return;
				}
				if (this.failure != null) {
					error = this.failure;
					this.terminated = true;
				}
				else if (!this.ready.isEmpty() && this.demand > 0) {
					Chunk chunk = this.ready.poll();
					item = chunk.value();
					this.heldBytes -= chunk.size();
					if (this.registry != null && chunk.size() > 0) {
						this.registry.release(chunk.size());
					}
					this.demand--;
				}
				else if (this.ready.isEmpty() && this.completed) {
					complete = true;
					this.terminated = true;
				}
				else {
					this.draining = false;
					return;
				}
			}
			if (error != null) {
				cancelTimer();
				unregister();
				target.onError(error);
				return;
			}
			if (complete) {
				cancelTimer();
				unregister();
				target.onComplete();
				return;
			}
			T converted;
			try {
				converted = (T) this.converter.apply((item == NULL) ? null : item);
			}
			catch (RuntimeException ex) {
				// a chunk of the wrong type: the stream fails with what was wrong, it never just stops
				cancel();
				target.onError(new NetronException("Stream " + this.id + ": a chunk cannot be read: " + ex.getMessage(), ex));
				return;
			}
			try {
				target.onNext(converted);
			}
			catch (RuntimeException ex) {
				// Reactive Streams 2.13: the subscription is cancelled; the subscriber is told why
				logger.debug("Subscriber of stream {} failed; cancelling the stream", this.id, ex);
				cancel();
				try {
					target.onError(ex);
				}
				catch (RuntimeException again) {
					logger.warn("Subscriber of stream {} failed twice", this.id, again);
				}
				return;
			}
		}
	}

	private void cancel() {
		synchronized (this.lock) {
			this.terminated = true;
			releaseHeldLocked();
		}
		cancelTimer();
		unregister();
	}

	private void cancelTimer() {
		ScheduledFuture<?> current = this.timer;
		if (current != null) {
			current.cancel(false);
		}
	}

	/** {@return the chunks delivered in order so far} */
	long chunksRead() {
		synchronized (this.lock) {
			return this.expected;
		}
	}

	/** {@return why the stream failed, {@code null} when it did not} */
	@Nullable Throwable failure() {
		synchronized (this.lock) {
			return this.failure;
		}
	}

	private void unregister() {
		StreamRegistry owner = this.registry;
		if (owner != null) {
			owner.removeReader(this);
		}
	}

	/** {@return a blocking iterator over the chunks; a failed stream throws {@link NetronException} from it} */
	public Iterator<T> iterator() {
		BlockingSubscriber<T> iterator = new BlockingSubscriber<>();
		subscribe(iterator);
		return iterator;
	}

	/** {@return a sequential {@link Stream} of the chunks, read as the stream is consumed} */
	public Stream<T> stream() {
		Iterator<T> iterator = iterator();
		return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator, Spliterator.ORDERED), false)
			.onClose(() -> ((BlockingSubscriber<T>) iterator).cancel());
	}

	/**
	 * Calls {@code action} for each chunk, off the caller's thread; completes with the stream.
	 * @param action called with each chunk, in order
	 * @return completes when the stream ended, fails when it failed
	 */
	public CompletableFuture<Void> forEach(Consumer<? super T> action) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		subscribe(new Flow.Subscriber<T>() {

			private Flow.@Nullable Subscription subscription;

			private int received;

			@Override
			public void onSubscribe(Flow.Subscription subscription) {
				this.subscription = subscription;
				subscription.request(256);
			}

			@Override
			public void onNext(T item) {
				action.accept(item);
				if (++this.received == 128 && this.subscription != null) {
					this.received = 0;
					this.subscription.request(128);
				}
			}

			@Override
			public void onError(Throwable throwable) {
				done.completeExceptionally(throwable);
			}

			@Override
			public void onComplete() {
				done.complete(null);
			}

		});
		return done;
	}

	/** {@return all chunks, once the stream ended} */
	public CompletableFuture<List<T>> toList() {
		List<T> items = new ArrayList<>();
		return forEach(items::add).thenApply((ignored) -> items);
	}

	@Override
	public String toString() {
		return "NetronReadableStream[" + this.id + (this.live ? ", live" : "") + "]";
	}

	/** A chunk held for the consumer, with the wire bytes it is counted for. */
	private record Chunk(Object value, int size) {
	}

	private final class Subscription implements Flow.Subscription {

		@Override
		public void request(long n) {
			if (n <= 0) {
				fail(new IllegalArgumentException("request(" + n + "): demand must be positive (Reactive Streams 3.9)"));
				return;
			}
			synchronized (NetronReadableStream.this.lock) {
				long sum = NetronReadableStream.this.demand + n;
				NetronReadableStream.this.demand = (sum < 0) ? Long.MAX_VALUE : sum;
			}
			scheduleDrain();
		}

		@Override
		public void cancel() {
			NetronReadableStream.this.cancel();
		}

	}

	private static final class NoSubscription implements Flow.Subscription {

		@Override
		public void request(long n) {
		}

		@Override
		public void cancel() {
		}

	}

	/** Bridges the demand-driven publisher to blocking iteration with a small window. */
	private static final class BlockingSubscriber<T> implements Flow.Subscriber<T>, Iterator<T> {

		private static final int WINDOW = 256;

		private static final Object DONE = new Object();

		private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();

		private Flow.@Nullable Subscription subscription;

		private @Nullable Object next;

		private int consumed;

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			this.subscription = subscription;
			subscription.request(WINDOW);
		}

		@Override
		public void onNext(T item) {
			this.queue.add((item != null) ? item : NULL);
		}

		@Override
		public void onError(Throwable throwable) {
			this.queue.add(new Failure(throwable));
		}

		@Override
		public void onComplete() {
			this.queue.add(DONE);
		}

		void cancel() {
			Flow.Subscription current = this.subscription;
			if (current != null) {
				current.cancel();
			}
		}

		@Override
		public boolean hasNext() {
			if (this.next == null) {
				try {
					this.next = this.queue.take();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					cancel();
					throw new NetronException("Interrupted while reading a stream", ex);
				}
			}
			if (this.next instanceof Failure failure) {
				throw (failure.cause() instanceof RuntimeException runtime) ? runtime
						: new NetronException(String.valueOf(failure.cause().getMessage()), failure.cause());
			}
			return this.next != DONE;
		}

		@Override
		@SuppressWarnings("unchecked")
		public T next() {
			if (!hasNext()) {
				throw new NoSuchElementException();
			}
			Object item = this.next;
			this.next = null;
			if (++this.consumed == WINDOW / 2 && this.subscription != null) {
				this.consumed = 0;
				this.subscription.request(WINDOW / 2);
			}
			return (item == NULL) ? null : (T) item;
		}

		private record Failure(Throwable cause) {
		}

	}

}
