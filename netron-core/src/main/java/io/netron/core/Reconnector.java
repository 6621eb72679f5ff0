package io.netron.core;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.backoff.BackOffExecution;

/**
 * Brings back the connection of a peer this node connected to: attempts follow the node's
 * exponential backoff (1 s doubling to 30 s by default, with an optional attempt limit), and a
 * call or health check on the lost peer tries at once when the last attempt is older than a
 * quarter of a second (as gRPC channels leave TRANSIENT_FAILURE on a new call).
 */
final class Reconnector {

	private static final Logger logger = LoggerFactory.getLogger(Reconnector.class);

	/** A call or health check on a lost peer tries at once when the last attempt is older than this. */
	private static final long FLOOR_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

	private final RemotePeer peer;

	private final Netron netron;

	private @Nullable BackOffExecution backOff;

	private int attempts;

	private @Nullable ScheduledFuture<?> task;

	private boolean attempting;

	private long lastAttemptNanos;

	Reconnector(RemotePeer peer, Netron netron) {
		this.peer = peer;
		this.netron = netron;
	}

	/** The connection is back: the next loss starts the backoff from the beginning. */
	synchronized void reset() {
		this.backOff = null;
		this.attempts = 0;
	}

	/** Schedules the next attempt, or gives the peer up once the attempts are exhausted. */
	synchronized void scheduleNext() {
		if (this.backOff == null) {
			this.backOff = this.netron.reconnectBackOff().start();
		}
		long delay = this.backOff.nextBackOff();
		int maxAttempts = this.netron.options().reconnect().maxAttempts();
		if (delay == BackOffExecution.STOP) {
			logger.error("Reconnect attempts exceeded ({}). Giving up on {}.", maxAttempts, this.peer.address());
			this.peer.giveUp();
			return;
		}
		int attempt = ++this.attempts;
		logger.info("Reconnecting to {} in {} ms (attempt {}/{})...", this.peer.address(), delay, attempt,
				(maxAttempts > 0) ? maxAttempts : "unlimited");
		this.task = this.netron.scheduler().schedule(this::attempt, delay, TimeUnit.MILLISECONDS);
	}

	/** Tries now when the peer is lost, in a reconnect cycle, and the last attempt is old enough. */
	void attemptIfDue() {
		synchronized (this) {
			if (this.peer.isClosed() || this.attempting || this.backOff == null || this.peer.isConnected()
					|| System.nanoTime() - this.lastAttemptNanos < FLOOR_NANOS) {
				return;
			}
		}
		try {
			this.netron.scheduler().execute(this::attempt);
		}
		catch (RejectedExecutionException ex) {
			// the node is closing
		}
	}

	private void attempt() {
		int attempt;
		synchronized (this) {
			if (this.attempting || this.peer.isClosed() || this.netron.isClosed() || this.netron.isDraining()) {
				return;
			}
			this.attempting = true;
			this.lastAttemptNanos = System.nanoTime();
			if (this.task != null) {
				this.task.cancel(false);
				this.task = null;
			}
			attempt = this.attempts;
		}
		int maxAttempts = this.netron.options().reconnect().maxAttempts();
		this.netron.countReconnectAttempt();
		this.peer.open().whenComplete((peer, failure) -> {
			synchronized (this) {
				this.attempting = false;
			}
			if (failure == null) {
				logger.info("Successfully reconnected to {}.", this.peer.address());
			}
			else if (!this.peer.isClosed()) {
				logger.warn("Reconnect to {} failed ({}/{}): {}", this.peer.address(), attempt,
						(maxAttempts > 0) ? maxAttempts : "unlimited", failure.getMessage());
				scheduleNext();
			}
		});
	}

}
