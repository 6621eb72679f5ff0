package io.netron.stream;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

import org.jspecify.annotations.Nullable;

/**
 * What streams need from the connection to one peer; implemented by the engine.
 */
public interface StreamTransport {

	/** {@return the peer's description for messages, such as {@code peer 1234 (ws://host/netron)}} */
	String describe();

	/** {@return whether frames can be sent} */
	boolean isConnected();

	/**
	 * Queues one STREAM packet.
	 * @param streamId the stream
	 * @param index the chunk's index
	 * @param data the chunk
	 * @param endOfStream whether the packet ends the stream
	 * @param live whether the stream is live
	 * @throws io.netron.NetronException when the peer is not connected
	 */
	void sendChunk(long streamId, long index, @Nullable Object data, boolean endOfStream, boolean live);

	/**
	 * Queues the packet that fails the peer's reading stream: STREAM_ERROR {@code {streamId, message}} to a
	 * seed-era peer, STREAM_CLOSE {@code {streamId, reason}} to a Titan-generation one.
	 * @param streamId the stream
	 * @param message why it failed
	 */
	void sendError(long streamId, String message);

	/**
	 * Whether the streams this node writes to the peer go out live, whatever they were made as: a
	 * Titan-generation peer streams every generator live, and its readers close a stream that is
	 * not live after a pause.
	 * @return whether written streams are flagged live
	 */
	default boolean streamsAreLive() {
		return false;
	}

	/**
	 * Bytes queued for the peer and not yet written.
	 * @return the bytes queued for the connection
	 */
	long bufferedBytes();

	/**
	 * Where subscribers are called and sources are read: never a transport thread.
	 * @return where chunks are delivered to consumers
	 */
	Executor executor();

	/**
	 * {@return where chunks are delivered to a reading stream's subscriber} The workers unless the
	 * node runs callbacks directly on the thread that read them.
	 */
	default Executor deliveryExecutor() {
		return executor();
	}

	/**
	 * Timers.
	 * @return where inactivity checks run
	 */
	ScheduledExecutorService scheduler();

}
