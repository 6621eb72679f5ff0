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
 * @param limits what connections may hold (connections, requests in flight, silence)
 * @param policy what peers may do beyond calling services (remote exposure, event subscriptions)
 * @param directCallbacks whether the callbacks of answer futures run on the thread that read the
 *        answer (a transport I/O thread) rather than on a worker
 * @param virtualThreadWorkers whether WORKER members run on virtual threads (Java 21 and later; a
 *        node on an older runtime logs that it keeps its thread pool)
 */
public record NetronOptions(String id, Duration requestTimeout, Duration connectTimeout, Duration taskTimeout,
		TaskOverwriteStrategy taskOverwriteStrategy, boolean allowServiceEvents, boolean includeStackFrames,
		int maxMessageSize, int sendBufferSize, Reconnect reconnect, StreamSettings streams, ConnectionLimits limits,
		PeerPolicy policy, boolean directCallbacks, boolean virtualThreadWorkers) {

	/**
	 * Checks the settings: timeouts and sizes must be positive.
	 * @param id the node id, sent to peers in the handshake
	 * @param requestTimeout how long a caller waits for a response
	 * @param connectTimeout how long connecting, the handshake included, may take
	 * @param taskTimeout how long a task may run when a peer asks for it
	 * @param taskOverwriteStrategy what adding a task with an existing name does
	 * @param allowServiceEvents whether peers may follow this node's service exposure events
	 * @param includeStackFrames whether errors sent to peers carry Java stack frames (else only
	 * @param maxMessageSize the largest message, in bytes, a connection accepts
	 * @param sendBufferSize the most bytes queued for one peer before it is disconnected as too slow
	 * @param reconnect how client connections come back after they are lost
	 * @param streams the limits of streams
	 * @param limits what connections may hold
	 * @param policy what peers may do beyond calling services
	 * @param directCallbacks whether the callbacks of answer futures run on the I/O thread
	 * @param virtualThreadWorkers whether WORKER members run on virtual threads
	 */
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
		Objects.requireNonNull(limits, "limits");
		Objects.requireNonNull(policy, "policy");
		requirePositive(streams.inactivityTimeout(), "streams.inactivityTimeout");
		if (streams.maxBufferedChunks() <= 0 || streams.sendHighWater() <= 0 || streams.maxBufferedBytes() <= 0) {
			throw new IllegalArgumentException(
					"streams.maxBufferedChunks, streams.sendHighWater and streams.maxBufferedBytes must be positive");
		}
	}

	/** {@return the defaults, with a random node id} */
	public static NetronOptions defaults() {
		return new NetronOptions(UUID.randomUUID().toString(), Duration.ofSeconds(5), Duration.ofSeconds(5),
				Duration.ofSeconds(5), TaskOverwriteStrategy.REPLACE, false, false, 64 * 1024 * 1024,
				16 * 1024 * 1024, Reconnect.defaults(), StreamSettings.defaults(), ConnectionLimits.defaults(),
				PeerPolicy.defaults(), false, false);
	}

	/**
	 * A copy with another setting.
	 * @param id the node id sent to peers
	 * @return the copy
	 */
	public NetronOptions withId(String id) {
		return new NetronOptions(id, this.requestTimeout, this.connectTimeout, this.taskTimeout,
				this.taskOverwriteStrategy, this.allowServiceEvents, this.includeStackFrames, this.maxMessageSize,
				this.sendBufferSize, this.reconnect, this.streams, this.limits, this.policy, this.directCallbacks, this.virtualThreadWorkers);
	}

	/**
	 * A copy with another setting.
	 * @param requestTimeout how long a caller waits for an answer
	 * @return the copy
	 */
	public NetronOptions withRequestTimeout(Duration requestTimeout) {
		return new NetronOptions(this.id, requestTimeout, this.connectTimeout, this.taskTimeout,
				this.taskOverwriteStrategy, this.allowServiceEvents, this.includeStackFrames, this.maxMessageSize,
				this.sendBufferSize, this.reconnect, this.streams, this.limits, this.policy, this.directCallbacks, this.virtualThreadWorkers);
	}

	/**
	 * A copy with another setting.
	 * @param connectTimeout how long connecting may take
	 * @return the copy
	 */
	public NetronOptions withConnectTimeout(Duration connectTimeout) {
		return new NetronOptions(this.id, this.requestTimeout, connectTimeout, this.taskTimeout,
				this.taskOverwriteStrategy, this.allowServiceEvents, this.includeStackFrames, this.maxMessageSize,
				this.sendBufferSize, this.reconnect, this.streams, this.limits, this.policy, this.directCallbacks, this.virtualThreadWorkers);
	}

	/**
	 * A copy with another setting.
	 * @param taskTimeout how long a task may run
	 * @return the copy
	 */
	public NetronOptions withTaskTimeout(Duration taskTimeout) {
		return new NetronOptions(this.id, this.requestTimeout, this.connectTimeout, taskTimeout,
				this.taskOverwriteStrategy, this.allowServiceEvents, this.includeStackFrames, this.maxMessageSize,
				this.sendBufferSize, this.reconnect, this.streams, this.limits, this.policy, this.directCallbacks, this.virtualThreadWorkers);
	}

	/**
	 * A copy with another setting.
	 * @param strategy what adding a task with an existing name does
	 * @return the copy
	 */
	public NetronOptions withTaskOverwriteStrategy(TaskOverwriteStrategy strategy) {
		return new NetronOptions(this.id, this.requestTimeout, this.connectTimeout, this.taskTimeout, strategy,
				this.allowServiceEvents, this.includeStackFrames, this.maxMessageSize, this.sendBufferSize,
				this.reconnect, this.streams, this.limits, this.policy, this.directCallbacks, this.virtualThreadWorkers);
	}

	/**
	 * A copy with another setting.
	 * @param allow whether peers may follow service events
	 * @return the copy
	 */
	public NetronOptions withAllowServiceEvents(boolean allow) {
		return new NetronOptions(this.id, this.requestTimeout, this.connectTimeout, this.taskTimeout,
				this.taskOverwriteStrategy, allow, this.includeStackFrames, this.maxMessageSize, this.sendBufferSize,
				this.reconnect, this.streams, this.limits, this.policy, this.directCallbacks, this.virtualThreadWorkers);
	}

	/**
	 * A copy with another setting.
	 * @param include whether errors carry Java stack frames
	 * @return the copy
	 */
	public NetronOptions withIncludeStackFrames(boolean include) {
		return new NetronOptions(this.id, this.requestTimeout, this.connectTimeout, this.taskTimeout,
				this.taskOverwriteStrategy, this.allowServiceEvents, include, this.maxMessageSize, this.sendBufferSize,
				this.reconnect, this.streams, this.limits, this.policy, this.directCallbacks, this.virtualThreadWorkers);
	}

	/**
	 * A copy with another setting.
	 * @param maxMessageSize the largest message, in bytes
	 * @return the copy
	 */
	public NetronOptions withMaxMessageSize(int maxMessageSize) {
		return new NetronOptions(this.id, this.requestTimeout, this.connectTimeout, this.taskTimeout,
				this.taskOverwriteStrategy, this.allowServiceEvents, this.includeStackFrames, maxMessageSize,
				this.sendBufferSize, this.reconnect, this.streams, this.limits, this.policy, this.directCallbacks, this.virtualThreadWorkers);
	}

	/**
	 * A copy with another setting.
	 * @param sendBufferSize the most bytes queued for one peer
	 * @return the copy
	 */
	public NetronOptions withSendBufferSize(int sendBufferSize) {
		return new NetronOptions(this.id, this.requestTimeout, this.connectTimeout, this.taskTimeout,
				this.taskOverwriteStrategy, this.allowServiceEvents, this.includeStackFrames, this.maxMessageSize,
				sendBufferSize, this.reconnect, this.streams, this.limits, this.policy, this.directCallbacks, this.virtualThreadWorkers);
	}

	/**
	 * A copy with another setting.
	 * @param reconnect how lost connections come back
	 * @return the copy
	 */
	public NetronOptions withReconnect(Reconnect reconnect) {
		return new NetronOptions(this.id, this.requestTimeout, this.connectTimeout, this.taskTimeout,
				this.taskOverwriteStrategy, this.allowServiceEvents, this.includeStackFrames, this.maxMessageSize,
				this.sendBufferSize, reconnect, this.streams, this.limits, this.policy, this.directCallbacks, this.virtualThreadWorkers);
	}

	/**
	 * A copy with another setting.
	 * @param streams the limits of streams
	 * @return the copy
	 */
	public NetronOptions withStreams(StreamSettings streams) {
		return new NetronOptions(this.id, this.requestTimeout, this.connectTimeout, this.taskTimeout,
				this.taskOverwriteStrategy, this.allowServiceEvents, this.includeStackFrames, this.maxMessageSize,
				this.sendBufferSize, this.reconnect, streams, this.limits, this.policy, this.directCallbacks, this.virtualThreadWorkers);
	}

	/**
	 * A copy with other settings.
	 * @param limits what connections may hold
	 * @return the copy
	 */
	public NetronOptions withLimits(ConnectionLimits limits) {
		return new NetronOptions(this.id, this.requestTimeout, this.connectTimeout, this.taskTimeout,
				this.taskOverwriteStrategy, this.allowServiceEvents, this.includeStackFrames, this.maxMessageSize,
				this.sendBufferSize, this.reconnect, this.streams, limits, this.policy, this.directCallbacks, this.virtualThreadWorkers);
	}

	/**
	 * A copy with other settings.
	 * @param policy what peers may do beyond calling services
	 * @return the copy
	 */
	public NetronOptions withPolicy(PeerPolicy policy) {
		return new NetronOptions(this.id, this.requestTimeout, this.connectTimeout, this.taskTimeout,
				this.taskOverwriteStrategy, this.allowServiceEvents, this.includeStackFrames, this.maxMessageSize,
				this.sendBufferSize, this.reconnect, this.streams, this.limits, policy, this.directCallbacks, this.virtualThreadWorkers);
	}

	/**
	 * A copy with other settings. With direct callbacks, the callbacks added to the future of a
	 * remote call, property read or write or task ({@code thenApply}, {@code whenComplete}, ...) run
	 * on the thread that read the answer, a transport I/O thread, with no hand-off to a worker (and so
	 * do the subscribers of streams this node reads, chunk by chunk): the
	 * fastest for pipelined asynchronous callers (gRPC's {@code directExecutor()} on a channel), and
	 * safe only when those callbacks never block. Off by default: callbacks run on the workers, and
	 * only a thread waiting in {@code get()} or {@code join()} is woken straight from the I/O thread.
	 * @param directCallbacks whether callbacks run on the I/O thread
	 * @return the copy
	 */
	public NetronOptions withDirectCallbacks(boolean directCallbacks) {
		return new NetronOptions(this.id, this.requestTimeout, this.connectTimeout, this.taskTimeout,
				this.taskOverwriteStrategy, this.allowServiceEvents, this.includeStackFrames, this.maxMessageSize,
				this.sendBufferSize, this.reconnect, this.streams, this.limits, this.policy, directCallbacks, this.virtualThreadWorkers);
	}

	/**
	 * A copy with other settings. With virtual-thread workers, the members that run on workers
	 * ({@link io.netron.annotation.Execution#WORKER}) run on a virtual thread each (Java 21 and
	 * later), so that blocking ones cost no platform thread; at most 10,000 at once, beyond which
	 * callers are told the node is overloaded. On an older runtime the node logs so and keeps its
	 * thread pool. Only nodes that create their own workers use it.
	 * @param virtualThreadWorkers whether WORKER members run on virtual threads
	 * @return the copy
	 */
	public NetronOptions withVirtualThreadWorkers(boolean virtualThreadWorkers) {
		return new NetronOptions(this.id, this.requestTimeout, this.connectTimeout, this.taskTimeout,
				this.taskOverwriteStrategy, this.allowServiceEvents, this.includeStackFrames, this.maxMessageSize,
				this.sendBufferSize, this.reconnect, this.streams, this.limits, this.policy, this.directCallbacks,
				virtualThreadWorkers);
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

		/**
		 * Checks the settings: delays must be positive, attempts 0 or more.
		 * @param enabled whether lost connections are re-established
		 * @param initialDelay the delay before the first attempt
		 * @param maxDelay the longest delay; each failed attempt doubles the delay up to it
		 * @param maxAttempts the most attempts in a row, 0 for no limit
		 */
		public Reconnect {
			requirePositive(initialDelay, "reconnect.initialDelay");
			requirePositive(maxDelay, "reconnect.maxDelay");
			if (maxAttempts < 0) {
				throw new IllegalArgumentException("reconnect.maxAttempts must be 0 (no limit) or more");
			}
		}

		/** {@return 1 s doubling to 30 s, without limit} */
		public static Reconnect defaults() {
			return new Reconnect(true, Duration.ofSeconds(1), Duration.ofSeconds(30), 0);
		}

	}

}
