package io.netron.stream;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import io.netron.NetronException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writing end of a stream to a peer. Create one, return it from a service method or pass
 * it as an argument (it is connected to the peer then), and {@link #write} chunks, then
 * {@link #end()} or {@link #error(Throwable)}. Or create it from a source, which is read (off
 * the transport threads) once the stream is connected: {@link #from(Iterable)},
 * {@link #from(Iterator)}, {@link #from(Stream)}, {@link #from(Flow.Publisher)}.
 *
 * <p>Chunks carry indexes 0, 1, 2, ...; the end is a packet with no data, the end-of-stream flag
 * and the number of chunks as index, as the TypeScript Netron writes them. Writers slow down
 * while the connection has more than {@code 1 MB} queued; writing to a peer that has gone fails
 * with a {@link NetronException} saying so.
 *
 * @param <T> the chunk type
 */
public final class NetronWritableStream<T> implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(NetronWritableStream.class);

	/** How long a direct {@link #write} waits for a slow peer before failing. */
	private static final long WRITE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

	private static final int MAX_PENDING = 100_000;

	private static final int BATCH = 256;

	private final Object lock = new Object();

	private final boolean live;

	/** Whether its packets say live: when it is, or when its peer expects every stream to be (Titan). */
	private volatile boolean liveOnWire;

	private final @Nullable Object source;

	private final ArrayDeque<Object> pending = new ArrayDeque<>();

	private final CompletableFuture<Void> done = new CompletableFuture<>();

	private volatile long id;

	private @Nullable StreamTransport transport;

	private @Nullable StreamRegistry registry;

	private long highWater = 1024 * 1024;

	private boolean started;

	private boolean endRequested;

	/** A failure before the stream was connected, sent once it is (after the chunks written before). */
	private @Nullable Throwable failureRequested;

	private long index;

	private volatile boolean closed;

	private NetronWritableStream(boolean live, @Nullable Object source) {
		this.live = live;
		this.source = source;
	}

	/**
	 * A stream to write to.
	 * @param <T> the chunk type
	 * @return a new stream
	 */
	public static <T> NetronWritableStream<T> create() {
		return new NetronWritableStream<>(false, null);
	}

	/**
	 * A live stream to write to (its reader never times it out for inactivity).
	 * @param <T> the chunk type
	 * @return a new live stream
	 */
	public static <T> NetronWritableStream<T> createLive() {
		return new NetronWritableStream<>(true, null);
	}

	/**
	 * A stream of the items of an iterable, written once connected.
	 * @param <T> the chunk type
	 * @param source the items, in order
	 * @return a stream that writes them
	 */
	public static <T> NetronWritableStream<T> from(Iterable<? extends T> source) {
		return new NetronWritableStream<>(false, source);
	}

	/**
	 * A stream of the items of an iterator, written once connected.
	 * @param <T> the chunk type
	 * @param source the items, in order
	 * @return a stream that writes them
	 */
	public static <T> NetronWritableStream<T> from(Iterator<? extends T> source) {
		return new NetronWritableStream<>(false, source);
	}

	/**
	 * A stream of the items of a Java stream, written once connected; the stream is closed at the end.
	 * @param <T> the chunk type
	 * @param source the items, in order
	 * @return a stream that writes them
	 */
	public static <T> NetronWritableStream<T> from(Stream<? extends T> source) {
		return new NetronWritableStream<>(false, source);
	}

	/**
	 * A stream of the items of a publisher, requested as the connection can take them.
	 * @param <T> the chunk type
	 * @param source the items, in order
	 * @return a stream that writes them
	 */
	public static <T> NetronWritableStream<T> from(Flow.Publisher<? extends T> source) {
		return new NetronWritableStream<>(false, source);
	}

	/**
	 * A live stream of the items of a publisher.
	 * @param <T> the chunk type
	 * @param source the items, in order
	 * @return a live stream that writes them
	 */
	public static <T> NetronWritableStream<T> fromLive(Flow.Publisher<? extends T> source) {
		return new NetronWritableStream<>(true, source);
	}

	/** {@return the stream id (0 until connected to a peer)} */
	public long id() {
		return this.id;
	}

	/** {@return whether the stream is live} */
	public boolean isLive() {
		return this.live;
	}

	/**
	 * Completes when the end was sent, fails when the stream failed.
	 * @return the stream's outcome
	 */
	public CompletableFuture<Void> completion() {
		return this.done;
	}

	// ------------------------------------------------------------------ engine side

	void bind(StreamRegistry registry, long id, StreamSettings settings) {
		synchronized (this.lock) {
			if (this.transport != null) {
				throw new NetronException("Stream " + this.id + " is already connected to " + this.transport.describe()
						+ ": a stream can be sent once");
			}
			this.registry = registry;
			this.transport = registry.transport();
			this.liveOnWire = this.live || this.transport.streamsAreLive();
			this.id = id;
			this.highWater = settings.sendHighWater();
		}
	}

	/** Sends what was written before the stream was connected, then reads the source. */
	void start() {
		StreamTransport channel;
		synchronized (this.lock) {
			if (this.started || this.transport == null) {
				return;
			}
			this.started = true;
			channel = this.transport;
		}
		try {
			synchronized (this.lock) {
				Object chunk;
				while ((chunk = this.pending.poll()) != null) {
					send(channel, (chunk == NULL_CHUNK) ? null : chunk);
				}
				if (this.endRequested) {
					sendEnd(channel);
					return;
				}
				if (this.failureRequested != null) {
					// failed before it was connected: the reader gets what was written, then the failure
					channel.sendError(this.id, String.valueOf(this.failureRequested.getMessage()));
					finish(this.failureRequested);
					return;
				}
			}
		}
		catch (RuntimeException ex) {
			failed(ex);
			return;
		}
		Object from = this.source;
		if (from instanceof Flow.Publisher<?> publisher) {
			publisher.subscribe(new PublisherPump(channel));
		}
		else if (from != null) {
			Iterator<?> iterator = (from instanceof Iterable<?> iterable) ? iterable.iterator()
					: (from instanceof Stream<?> stream) ? stream.iterator() : (Iterator<?>) from;
			schedulePump(channel, iterator, 0);
		}
	}

	private static final Object NULL_CHUNK = new Object();

	// ------------------------------------------------------------------ writing

	/**
	 * Writes one chunk; before the stream is connected it is held (at most 100,000).
	 * @param chunk the next chunk
	 * @throws NetronException when the stream ended or failed, or the peer is gone
	 * @throws IllegalStateException when the stream has a source (it writes itself)
	 */
	public void write(@Nullable T chunk) {
		if (this.source != null) {
			throw new IllegalStateException("Stream " + this.id + " writes its source; it takes no other writes");
		}
		synchronized (this.lock) {
			checkOpen();
			if (!this.started) {
				if (this.pending.size() >= MAX_PENDING) {
					throw new NetronException("Stream is not connected to a peer yet and already holds " + MAX_PENDING
							+ " chunks: return it or pass it as an argument before writing more");
				}
				this.pending.add((chunk != null) ? chunk : NULL_CHUNK);
				return;
			}
			StreamTransport channel = this.transport;
			awaitCapacity(channel);
			send(channel, chunk);
		}
	}

	/** Ends the stream (sends the end-of-stream packet once connected). */
	public void end() {
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			if (!this.started) {
				this.endRequested = true;
				return;
			}
			sendEnd(this.transport);
		}
	}

	/**
	 * Fails the stream: the reader gets a STREAM_ERROR with the cause's message.
	 * @param cause why the stream fails; its message reaches the reader
	 */
	public void error(Throwable cause) {
		StreamTransport channel;
		boolean early;
		synchronized (this.lock) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			early = !this.started;
			if (early) {
				// sent once the stream is connected, after what was written before
				this.failureRequested = cause;
			}
			channel = this.transport;
		}
		if (early) {
			this.done.completeExceptionally(cause);
			return;
		}
		if (channel != null && channel.isConnected()) {
			channel.sendError(this.id, String.valueOf(cause.getMessage()));
		}
		finish(cause);
	}

	/** Ends the stream if it has not ended. */
	@Override
	public void close() {
		end();
	}

	private void checkOpen() {
		if (this.closed) {
			Throwable failure = this.done.isCompletedExceptionally() ? this.done.handle((ignored, ex) -> ex).join() : null;
			throw new NetronException("Cannot write to stream " + this.id + ": "
					+ ((failure != null) ? failure.getMessage() : "it already ended"), failure);
		}
	}

	private void send(StreamTransport channel, @Nullable Object chunk) {
		if (!channel.isConnected()) {
			throw new NetronException("Cannot write to stream " + this.id + ": " + channel.describe() + " is not connected");
		}
		channel.sendChunk(this.id, this.index++, chunk, false, this.liveOnWire);
	}

	private void sendEnd(@Nullable StreamTransport channel) {
		if (channel == null || this.closed) {
			return;
		}
		this.closed = true;
		try {
			if (!channel.isConnected()) {
				throw new NetronException("Cannot end stream " + this.id + ": " + channel.describe() + " is not connected");
			}
			channel.sendChunk(this.id, this.index, null, true, this.liveOnWire);
			finish(null);
		}
		catch (RuntimeException ex) {
			finish(ex);
			throw ex;
		}
	}

	private void awaitCapacity(@Nullable StreamTransport channel) {
		if (channel == null) {
			return;
		}
		long deadline = System.nanoTime() + WRITE_WAIT_NANOS;
		while (channel.bufferedBytes() > this.highWater && channel.isConnected()) {
			if (System.nanoTime() > deadline) {
				throw new NetronException("Cannot write to stream " + this.id + ": " + channel.describe()
						+ " has not taken queued data for 30 s");
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
		}
	}

	/** The connection lost or the stream failed: no more writes. */
	void failed(Throwable cause) {
		synchronized (this.lock) {
			if (this.closed && this.done.isDone()) {
				return;
			}
			this.closed = true;
		}
		finish(cause);
	}

	/** {@return the chunks sent so far} */
	long chunksWritten() {
		return this.index;
	}

	/** {@return why the stream failed, {@code null} when it did not (or has not ended)} */
	@Nullable Throwable failure() {
		if (!this.done.isCompletedExceptionally()) {
			return null;
		}
		try {
			this.done.join();
			return null;
		}
		catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException ex) {
			return (ex.getCause() != null) ? ex.getCause() : ex;
		}
	}

	private void finish(@Nullable Throwable cause) {
		if (cause == null) {
			this.done.complete(null);
		}
		else if (this.done.completeExceptionally(cause)) {
			logger.debug("Stream {} failed: {}", this.id, cause.getMessage());
		}
		if (this.source instanceof Stream<?> stream) {
			stream.close();
		}
		StreamRegistry owner = this.registry;
		if (owner != null) {
			owner.removeWriter(this);
		}
	}

	// ------------------------------------------------------------------ sources

	private void schedulePump(StreamTransport channel, Iterator<?> iterator, long delayMillis) {
		Runnable pump = () -> pump(channel, iterator);
		try {
			if (delayMillis <= 0) {
				channel.executor().execute(pump);
			}
			else {
				channel.scheduler().schedule(() -> channel.executor().execute(pump), delayMillis, TimeUnit.MILLISECONDS);
			}
		}
		catch (RejectedExecutionException ex) {
			failed(new NetronException("Stream " + this.id + " stopped: the node is shutting down"));
		}
	}

	private void pump(StreamTransport channel, Iterator<?> iterator) {
		try {
			for (int i = 0; i < BATCH; i++) {
				synchronized (this.lock) {
					if (this.closed) {
						return;
					}
					if (channel.bufferedBytes() > this.highWater) {
						schedulePump(channel, iterator, 1);
						return;
					}
					if (!iterator.hasNext()) {
						sendEnd(channel);
						return;
					}
					send(channel, iterator.next());
				}
			}
			schedulePump(channel, iterator, 0);
		}
		catch (RuntimeException ex) {
			if (channel.isConnected()) {
				error(ex);
			}
			else {
				failed(ex);
			}
		}
	}

	/** Requests from a publisher in batches, as the connection takes the chunks. */
	private final class PublisherPump implements Flow.Subscriber<Object> {

		private final StreamTransport channel;

		private Flow.@Nullable Subscription subscription;

		private int outstanding;

		PublisherPump(StreamTransport channel) {
			this.channel = channel;
		}

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			this.subscription = subscription;
			requestMore();
		}

		private void requestMore() {
			Flow.Subscription current = this.subscription;
			if (current == null || NetronWritableStream.this.closed) {
				return;
			}
			if (this.channel.bufferedBytes() > NetronWritableStream.this.highWater) {
				try {
					this.channel.scheduler().schedule(this::requestMore, 1, TimeUnit.MILLISECONDS);
				}
				catch (RejectedExecutionException ex) {
					current.cancel();
				}
				return;
			}
			synchronized (this) {
				this.outstanding += BATCH;
			}
			current.request(BATCH);
		}

		@Override
		public void onNext(Object item) {
			try {
				synchronized (NetronWritableStream.this.lock) {
					send(this.channel, item);
				}
			}
			catch (RuntimeException ex) {
				if (this.subscription != null) {
					this.subscription.cancel();
				}
				failed(ex);
				return;
			}
			boolean more;
			synchronized (this) {
				more = --this.outstanding == BATCH / 2;
			}
			if (more) {
				requestMore();
			}
		}

		@Override
		public void onError(Throwable throwable) {
			error(throwable);
		}

		@Override
		public void onComplete() {
			synchronized (NetronWritableStream.this.lock) {
				try {
					sendEnd(this.channel);
				}
				catch (RuntimeException ex) {
					// recorded by sendEnd
				}
			}
		}

	}

	@Override
	public String toString() {
		return "NetronWritableStream[" + this.id + (this.live ? ", live" : "") + "]";
	}

}
