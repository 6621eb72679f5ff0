package io.netron.stream;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;
import java.util.function.LongSupplier;

import io.netron.NetronException;
import io.netron.protocol.StreamReference;
import io.netron.protocol.StreamReference.StreamType;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams of one peer connection, keyed by stream id and direction: incoming STREAM and
 * STREAM_ERROR packets go to their reading stream (a packet for an unknown id creates it),
 * and stream references in calls and results are turned into streams here.
 */
public final class StreamRegistry {

	private static final Logger logger = LoggerFactory.getLogger(StreamRegistry.class);

	private static final int FINISHED_MEMORY = 4096;

	private final StreamTransport transport;

	private final StreamSettings settings;

	private final LongSupplier streamIds;

	private final Map<Long, NetronReadableStream<?>> readers = new ConcurrentHashMap<>();

	private final Map<Long, NetronWritableStream<?>> writers = new ConcurrentHashMap<>();

	/** Readers that ended recently: late packets for them are dropped, not taken for new streams. */
	private final Set<Long> finished = Collections.newSetFromMap(recent());

	/** Streams that failed before any call or result named them, and why: announcing them later fails at once. */
	private final Map<Long, String> refused = recent();

	/** Wire bytes of chunks held by this connection's reading streams. */
	private final AtomicLong bufferedBytes = new AtomicLong();

	private final AtomicInteger unannounced = new AtomicInteger();

	/**
	 * The streams of one connection.
	 * @param transport how packets reach the peer
	 * @param settings the limits of streams
	 * @param streamIds the node's stream id counter
	 */
	public StreamRegistry(StreamTransport transport, StreamSettings settings, LongSupplier streamIds) {
		this.transport = transport;
		this.settings = settings;
		this.streamIds = streamIds;
	}

	private volatile Listener listener = Listener.NONE;

	/**
	 * Sets what hears of streams opening and closing (the node observes them with it).
	 * @param listener the listener
	 */
	public void setListener(Listener listener) {
		this.listener = listener;
	}

	/** A map of the {@value #FINISHED_MEMORY} stream ids added last. */
	private static <V> Map<Long, V> recent() {
		return Collections.synchronizedMap(new LinkedHashMap<>() {

			@Override
			protected boolean removeEldestEntry(Map.Entry<Long, V> eldest) {
				return size() > FINISHED_MEMORY;
			}

		});
	}

	StreamTransport transport() {
		return this.transport;
	}

	/**
	 * A STREAM packet of {@code size} wire bytes arrived (on a transport thread). A packet for a
	 * stream no call or result named yet starts it (the writer may send before the reference
	 * arrives), at most {@link StreamSettings#MAX_UNANNOUNCED_STREAMS} at a time.
	 * @param streamId the stream
	 * @param index the chunk's index
	 * @param data the chunk
	 * @param endOfStream whether the packet ends the stream
	 * @param live whether the stream is live
	 * @param size the packet's size on the wire, counted against the connection's buffer
	 */
	public void onChunk(long streamId, long index, @Nullable Object data, boolean endOfStream, boolean live, int size) {
		if (streamId == 0) {
			return;
		}
		NetronReadableStream<?> reader = this.readers.get(streamId);
		if (reader == null) {
			if (this.finished.contains(streamId) || this.refused.containsKey(streamId)) {
				logger.debug("Dropped a packet of finished stream {} from {}", streamId, this.transport.describe());
				return;
			}
			if (this.unannounced.get() >= StreamSettings.MAX_UNANNOUNCED_STREAMS) {
				this.refused.put(streamId, "Stream " + streamId + " refused: more than "
						+ StreamSettings.MAX_UNANNOUNCED_STREAMS + " streams were started without being announced");
				logger.debug("Refused stream {} from {}: too many unannounced streams", streamId, this.transport.describe());
				return;
			}
			boolean[] created = new boolean[1];
			reader = this.readers.computeIfAbsent(streamId, (id) -> {
				created[0] = true;
				return NetronReadableStream.bound(this, id, live, this.settings, false);
			});
			if (created[0]) {
				this.unannounced.incrementAndGet();
				this.listener.opened(streamId, true);
			}
		}
		reader.onChunk(index, data, endOfStream, size);
	}

	/**
	 * A STREAM_ERROR packet arrived: {@code {streamId, message}}.
	 * @param data the packet's data
	 */
	public void onError(@Nullable Object data) {
		NetronReadableStream<?> reader = reader(data, "STREAM_ERROR");
		if (reader != null) {
			reader.fail(new NetronException(String.valueOf(((Map<?, ?>) data).get("message"))));
		}
	}

	/** The reader a STREAM_ERROR or STREAM_CLOSE names, {@code null} when malformed or unknown (logged). */
	private @Nullable NetronReadableStream<?> reader(@Nullable Object data, String packet) {
		if (!(data instanceof Map<?, ?> map) || !(map.get("streamId") instanceof Number id)) {
			logger.debug("Dropped a malformed {} from {}: {}", packet, this.transport.describe(), data);
			return null;
		}
		NetronReadableStream<?> reader = this.readers.get(id.longValue());
		if (reader == null) {
			logger.debug("Dropped a {} of unknown stream {} from {}", packet, id, this.transport.describe());
		}
		return reader;
	}

	/**
	 * A STREAM_CLOSE packet arrived (Titan generation): {@code {streamId, reason}}; the stream the
	 * peer was writing ended without its last chunk, so it fails with the reason.
	 * @param data the packet's data
	 */
	public void onClose(@Nullable Object data) {
		NetronReadableStream<?> reader = reader(data, "STREAM_CLOSE");
		if (reader != null) {
			Map<?, ?> close = (Map<?, ?>) data;
			Object reason = close.get("reason");
			reader.fail(new NetronException("Stream " + close.get("streamId") + " closed by " + this.transport.describe()
					+ ((reason instanceof String text && !text.isEmpty()) ? ": " + text : "")));
		}
	}

	/**
	 * The stream a reference received from the peer stands for: a {@code writable} reference
	 * (the peer writes) becomes a reading stream, adopting one that early chunks already
	 * created; a {@code readable} reference (the peer reads) becomes a writing stream.
	 * @param reference the reference received
	 * @return a {@link NetronReadableStream} or a {@link NetronWritableStream}
	 */
	public Object open(StreamReference reference) {
		if (reference.type() == StreamType.WRITABLE) {
			String refusal = this.refused.remove(reference.streamId());
			if (refusal != null) {
				NetronReadableStream<Object> failed = NetronReadableStream.bound(this, reference.streamId(), reference.live(),
						this.settings, true);
				failed.fail(new NetronException(refusal));
				return failed;
			}
			boolean[] created = new boolean[1];
			NetronReadableStream<?> reader = this.readers.computeIfAbsent(reference.streamId(), (id) -> {
				created[0] = true;
				return NetronReadableStream.bound(this, id, reference.live(), this.settings, true);
			});
			if (created[0]) {
				this.listener.opened(reference.streamId(), true);
			}
			announce(reader);
			return reader;
		}
		NetronWritableStream<Object> writer = reference.live() ? NetronWritableStream.createLive()
				: NetronWritableStream.create();
		writer.bind(this, reference.streamId(), this.settings);
		this.writers.put(reference.streamId(), writer);
		this.listener.opened(reference.streamId(), false);
		writer.start();
		return writer;
	}

	/**
	 * Connects a writing stream to this peer and gives the reference to send for it; the stream
	 * starts writing at {@link #start(long)}, once the frame carrying the reference was queued.
	 * @param peerId the node id the reference names (the reader's for results, the sender's own
	 * for arguments)
	 * @param writer the stream to send
	 * @return the reference to send for it
	 */
	public StreamReference bind(NetronWritableStream<?> writer, String peerId) {
		long id = this.streamIds.getAsLong();
		writer.bind(this, id, this.settings);
		this.writers.put(id, writer);
		this.listener.opened(id, false);
		return new StreamReference(id, StreamType.WRITABLE, writer.isLive() || this.transport.streamsAreLive(), peerId);
	}

	/**
	 * Connects a reading stream passed as an argument: the peer will write into it.
	 * @param reader the stream the peer will write into
	 * @param peerId the node id the reference names
	 * @return the reference to send for it
	 */
	public StreamReference bind(NetronReadableStream<?> reader, String peerId) {
		long id = this.streamIds.getAsLong();
		reader.bind(this, id, this.settings);
		reader.announce();
		this.readers.put(id, reader);
		this.listener.opened(id, true);
		return new StreamReference(id, StreamType.READABLE, reader.isLive(), peerId);
	}

	/**
	 * Starts a writing stream bound with {@link #bind(NetronWritableStream, String)}.
	 * @param streamId the stream
	 */
	public void start(long streamId) {
		NetronWritableStream<?> writer = this.writers.get(streamId);
		if (writer != null) {
			writer.start();
		}
	}

	private void announce(NetronReadableStream<?> reader) {
		reader.announce();
		uncount(reader);
	}

	private void uncount(NetronReadableStream<?> reader) {
		if (reader.uncountUnannounced()) {
			this.unannounced.decrementAndGet();
		}
	}

	/**
	 * Draws the stream chunks of this connection from the node's memory budget as well.
	 * @param take draws bytes, answering whether the node had room for them
	 * @param give gives bytes back
	 */
	public void setNodeBudget(LongPredicate take, LongConsumer give) {
		this.nodeTake = take;
		this.nodeGive = give;
	}

	private volatile LongPredicate nodeTake = (bytes) -> true;

	private volatile LongConsumer nodeGive = (bytes) -> {
	};

	/**
	 * Takes {@code size} bytes of this connection's stream buffer and of the node's budget.
	 * @return why they are not left, {@code null} when they were taken
	 */
	@Nullable String reserve(int size) {
		if (this.bufferedBytes.addAndGet(size) > this.settings.maxBufferedBytes()) {
			this.bufferedBytes.addAndGet(-size);
			return "more than " + this.settings.maxBufferedBytes()
					+ " bytes of stream chunks wait to be read on this connection (netron.stream-max-buffered-bytes)";
		}
		if (!this.nodeTake.test(size)) {
			this.bufferedBytes.addAndGet(-size);
			return "the node is over its memory budget (netron.server.max-buffered-bytes)";
		}
		return null;
	}

	/** Gives back bytes taken with {@link #reserve(int)}. */
	void release(long size) {
		this.bufferedBytes.addAndGet(-size);
		this.nodeGive.accept(size);
	}

	/**
	 * Wire bytes of chunks this connection's reading streams hold now.
	 * @return the bytes held
	 */
	public long bufferedBytes() {
		return this.bufferedBytes.get();
	}

	/** A stream started by chunks alone failed: it is dropped, and announcing it later fails at once. */
	void refuse(NetronReadableStream<?> reader, String reason) {
		if (this.readers.remove(reader.id(), reader)) {
			uncount(reader);
			this.refused.put(reader.id(), reason);
			this.listener.closed(reader.id(), true, reader.chunksRead(), new NetronException(reason));
		}
	}

	/**
	 * Fails every stream of this connection (it was lost).
	 * @param cause why, given to every stream
	 */
	public void closeAll(Throwable cause) {
		for (NetronReadableStream<?> reader : List.copyOf(this.readers.values())) {
			reader.fail(cause);
			// one nobody reads stays registered until read: it ends here, and is heard of as ended
			if (this.readers.remove(reader.id(), reader)) {
				this.listener.closed(reader.id(), true, reader.chunksRead(), cause);
			}
		}
		for (NetronWritableStream<?> writer : List.copyOf(this.writers.values())) {
			writer.failed(cause);
			if (this.writers.remove(writer.id(), writer)) {
				this.listener.closed(writer.id(), false, writer.chunksWritten(), cause);
			}
		}
		this.readers.clear();
		this.writers.clear();
		this.unannounced.set(0);
	}

	/**
	 * Streams open now, reading and writing.
	 * @return how many streams are open
	 */
	public int openStreams() {
		return this.readers.size() + this.writers.size();
	}

	void removeReader(NetronReadableStream<?> reader) {
		if (this.readers.remove(reader.id(), reader)) {
			this.finished.add(reader.id());
			uncount(reader);
			this.listener.closed(reader.id(), true, reader.chunksRead(), reader.failure());
		}
	}

	void removeWriter(NetronWritableStream<?> writer) {
		if (this.writers.remove(writer.id(), writer)) {
			this.listener.closed(writer.id(), false, writer.chunksWritten(), writer.failure());
		}
	}

	/** Hears of streams opening and closing on one connection. */
	public interface Listener {

		/** Hears nothing. */
		Listener NONE = new Listener() {

			@Override
			public void opened(long streamId, boolean reading) {
			}

			@Override
			public void closed(long streamId, boolean reading, long chunks, @Nullable Throwable failure) {
			}

		};

		/**
		 * A stream opened.
		 * @param streamId its id
		 * @param reading whether this node reads it (else it writes it)
		 */
		void opened(long streamId, boolean reading);

		/**
		 * A stream ended, was cancelled or failed.
		 * @param streamId its id
		 * @param reading whether this node read it
		 * @param chunks the chunks it delivered (reading) or sent (writing)
		 * @param failure why it failed, {@code null} when it ended or was cancelled
		 */
		void closed(long streamId, boolean reading, long chunks, @Nullable Throwable failure);

	}

}
