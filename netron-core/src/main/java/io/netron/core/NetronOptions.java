package io.netron.core;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

import io.netron.stream.StreamSettings;

/**
 * Settings of one node. Spring applications set them through {@code netron.*} properties.
 *
 * @param id the node id, sent to peers in the handshake
 * @param requestTimeout how long a caller waits for a response
 * @param connectTimeout how long connecting, the handshake included, may take
 * @param taskTimeout how long a task may run when a peer asks for it
 * @param taskOverwriteStrategy what adding a task with an existing name does
 * @param allowServiceEvents whether peers may follow this node's service exposure events
 * @param includeStackFrames whether errors sent to peers carry Java stack frames (else only
 * {@code "Name: message"})
 * @param maxMessageSize the largest message, in bytes, a connection accepts
 * @param sendBufferSize the most bytes queued for one peer before it is disconnected as too slow
 * @param reconnect how client connections come back after they are lost
 * @param streams the limits of streams
 */
public record NetronOptions(String id, Duration requestTimeout, Duration connectTimeout, Duration taskTimeout,
		TaskOverwriteStrategy taskOverwriteStrategy, boolean allowServiceEvents, boolean includeStackFrames,
		int maxMessageSize, int sendBufferSize, Reconnect reconnect, StreamSettings streams) {

	public NetronOptions {
		Objects.requireNonNull(id, "id");
		requirePositive(requestTimeout, "requestTimeout");
		requirePositive(connectTimeout, "connectTimeout");
		requirePositive(taskTimeout, "taskTimeout");
		Objects.requireNonNull(taskOverwriteStrategy, "taskOverwriteStrategy");
		if (maxMessageSize <= 0 || sendBufferSize <= 0) {
			throw new IllegalArgumentException("maxMessageSize and sendBufferSize must be positive");
		}
		Objects.requireNonNull(reconnect, "reconnect");
		Objects.requireNonNull(streams, "streams");
		requirePositive(streams.inactivityTimeout(), "streams.inactivityTimeout");
		if (streams.maxBufferedChunks() <= 0 || streams.sendHighWater() <= 0 || streams.maxBufferedBytes() <= 0) {
			throw new IllegalArgumentException(
					"streams.maxBufferedChunks, streams.sendHighWater and streams.maxBufferedBytes must be positive");
		}
	}

	/** The defaults, with a random node id. */
	public static NetronOptions defaults() {
		return new NetronOptions(UUID.randomUUID().toString(), Duration.ofSeconds(5), Duration.ofSeconds(5),
				Duration.ofSeconds(5), TaskOverwriteStrategy.REPLACE, false, false, 64 * 1024 * 1024,
				16 * 1024 * 1024, Reconnect.defaults(), StreamSettings.defaults());
	}

	public NetronOptions withId(String id) {
		return new NetronOptions(id, this.requestTimeout, this.connectTimeout, this.taskTimeout,
				this.taskOverwriteStrategy, this.allowServiceEvents, this.includeStackFrames, this.maxMessageSize,
				this.sendBufferSize, this.reconnect, this.streams);
	}

	public NetronOptions withRequestTimeout(Duration requestTimeout) {
		return new NetronOptions(this.id, requestTimeout, this.connectTimeout, this.taskTimeout,
				this.taskOverwriteStrategy, this.allowServiceEvents, this.includeStackFrames, this.maxMessageSize,
				this.sendBufferSize, this.reconnect, this.streams);
	}

	public NetronOptions withConnectTimeout(Duration connectTimeout) {
		return new NetronOptions(this.id, this.requestTimeout, connectTimeout, this.taskTimeout,
				this.taskOverwriteStrategy, this.allowServiceEvents, this.includeStackFrames, this.maxMessageSize,
				this.sendBufferSize, this.reconnect, this.streams);
	}

	public NetronOptions withTaskTimeout(Duration taskTimeout) {
		return new NetronOptions(this.id, this.requestTimeout, this.connectTimeout, taskTimeout,
				this.taskOverwriteStrategy, this.allowServiceEvents, this.includeStackFrames, this.maxMessageSize,
				this.sendBufferSize, this.reconnect, this.streams);
	}

	public NetronOptions withTaskOverwriteStrategy(TaskOverwriteStrategy strategy) {
		return new NetronOptions(this.id, this.requestTimeout, this.connectTimeout, this.taskTimeout, strategy,
				this.allowServiceEvents, this.includeStackFrames, this.maxMessageSize, this.sendBufferSize,
				this.reconnect, this.streams);
	}

	public NetronOptions withAllowServiceEvents(boolean allow) {
		return new NetronOptions(this.id, this.requestTimeout, this.connectTimeout, this.taskTimeout,
				this.taskOverwriteStrategy, allow, this.includeStackFrames, this.maxMessageSize, this.sendBufferSize,
				this.reconnect, this.streams);
	}

	public NetronOptions withIncludeStackFrames(boolean include) {
		return new NetronOptions(this.id, this.requestTimeout, this.connectTimeout, this.taskTimeout,
				this.taskOverwriteStrategy, this.allowServiceEvents, include, this.maxMessageSize, this.sendBufferSize,
				this.reconnect, this.streams);
	}

	public NetronOptions withMaxMessageSize(int maxMessageSize) {
		return new NetronOptions(this.id, this.requestTimeout, this.connectTimeout, this.taskTimeout,
				this.taskOverwriteStrategy, this.allowServiceEvents, this.includeStackFrames, maxMessageSize,
				this.sendBufferSize, this.reconnect, this.streams);
	}

	public NetronOptions withSendBufferSize(int sendBufferSize) {
		return new NetronOptions(this.id, this.requestTimeout, this.connectTimeout, this.taskTimeout,
				this.taskOverwriteStrategy, this.allowServiceEvents, this.includeStackFrames, this.maxMessageSize,
				sendBufferSize, this.reconnect, this.streams);
	}

	public NetronOptions withReconnect(Reconnect reconnect) {
		return new NetronOptions(this.id, this.requestTimeout, this.connectTimeout, this.taskTimeout,
				this.taskOverwriteStrategy, this.allowServiceEvents, this.includeStackFrames, this.maxMessageSize,
				this.sendBufferSize, reconnect, this.streams);
	}

	public NetronOptions withStreams(StreamSettings streams) {
		return new NetronOptions(this.id, this.requestTimeout, this.connectTimeout, this.taskTimeout,
				this.taskOverwriteStrategy, this.allowServiceEvents, this.includeStackFrames, this.maxMessageSize,
				this.sendBufferSize, this.reconnect, streams);
	}

	private static void requirePositive(Duration duration, String name) {
		if (duration == null || duration.isZero() || duration.isNegative()) {
			throw new IllegalArgumentException(name + " must be a positive duration but was " + duration);
		}
	}

	/**
	 * Reconnection of client connections after they are lost (never after a manual disconnect).
	 *
	 * @param enabled whether lost connections are re-established
	 * @param initialDelay the delay before the first attempt
	 * @param maxDelay the longest delay; each failed attempt doubles the delay up to it
	 * @param maxAttempts the most attempts in a row, 0 for no limit
	 */
	public record Reconnect(boolean enabled, Duration initialDelay, Duration maxDelay, int maxAttempts) {

		public Reconnect {
			requirePositive(initialDelay, "reconnect.initialDelay");
			requirePositive(maxDelay, "reconnect.maxDelay");
			if (maxAttempts < 0) {
				throw new IllegalArgumentException("reconnect.maxAttempts must be 0 (no limit) or more");
			}
		}

		/** 1 s doubling to 30 s, without limit. */
		public static Reconnect defaults() {
			return new Reconnect(true, Duration.ofSeconds(1), Duration.ofSeconds(30), 0);
		}

	}

}
