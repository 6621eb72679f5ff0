package io.netron.stream;

import java.time.Duration;

/**
 * Limits of the streams of a node.
 *
 * @param inactivityTimeout how long a non-live stream may go without packets before it fails
 * @param maxBufferedChunks how many in-order chunks a reading stream holds for a slow
 * consumer; one more fails the stream (there is no flow control on the wire)
 * @param sendHighWater bytes queued to a peer above which writers wait before sending more
 * @param maxBufferedBytes wire bytes of chunks one connection may hold for its reading streams
 * (unannounced and unread ones included); the stream whose chunk goes past it fails
 */
public record StreamSettings(Duration inactivityTimeout, int maxBufferedChunks, long sendHighWater,
		long maxBufferedBytes) {

	/** Most streams a connection may start by sending chunks before announcing them in a call or result. */
	public static final int MAX_UNANNOUNCED_STREAMS = 1024;

	/**
	 * Settings with the default byte limit (64 MB).
	 * @param inactivityTimeout how long a non-live stream may go without packets
	 * @param maxBufferedChunks chunks a reading stream holds for its consumer
	 * @param sendHighWater bytes queued to a peer above which writers wait
	 */
	public StreamSettings(Duration inactivityTimeout, int maxBufferedChunks, long sendHighWater) {
		this(inactivityTimeout, maxBufferedChunks, sendHighWater, 64L * 1024 * 1024);
	}

	/** Most packets held for reordering, as in the TypeScript Netron. */
	public static final int MAX_REORDER_BUFFER = 10_000;

	/** {@return 60 s, 100,000 chunks, 1 MB, 64 MB} */
	public static StreamSettings defaults() {
		return new StreamSettings(Duration.ofSeconds(60), 100_000, 1024 * 1024);
	}

}
