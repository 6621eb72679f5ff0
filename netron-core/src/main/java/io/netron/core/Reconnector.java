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

	/** Schedules the next attempt after the connection was lost, or gives the peer up once the attempts are exhausted. */
	synchronized void scheduleNext() {
		scheduleNext(null);
	}

	/**
	 * Schedules the next backoff step. One line per step: INFO when the connection was just lost,
	 * WARN with the failure of the step's attempt otherwise.
	 */
	private synchronized void scheduleNext(@Nullable String failure) {
		if (this.backOff == null) {
			this.backOff = this.netron.reconnectBackOff().start();
		}
		long delay = this.backOff.nextBackOff();
		int maxAttempts = this.netron.options().reconnect().maxAttempts();
		String of = (maxAttempts > 0) ? String.valueOf(maxAttempts) : "unlimited";
		if (delay == BackOffExecution.STOP) {
			logger.error("Reconnect attempts exceeded ({}). Giving up on {}{}.", maxAttempts, this.peer.address(),
					(failure != null) ? " (last failure: " + failure + ")" : "");
			this.peer.giveUp();
			return;
		}
		int attempt = ++this.attempts;
		if (failure == null) {
			logger.info("Reconnecting to {} in {} ms (attempt {}/{})...", this.peer.address(), delay, attempt, of);
		}
		else {
			logger.warn("Reconnect to {} failed (attempt {}/{}): {}; next attempt in {} ms, sooner if a call needs it",
					this.peer.address(), attempt - 1, of, failure, delay);
		}
		this.task = this.netron.scheduler().schedule(() -> attempt(true), delay, TimeUnit.MILLISECONDS);
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
			this.netron.scheduler().execute(() -> attempt(false));
		}
		catch (RejectedExecutionException ex) {
			// the node is closing
		}
	}

	/**
	 * One attempt. A scheduled one is the backoff's step: its failure schedules the next step. One
	 * a call asked for leaves the backoff as it is (the scheduled step still comes) and says its
	 * failure at DEBUG only, so that a loop of calls during an outage does not flood the log.
	 */
	private void attempt(boolean scheduled) {
		synchronized (this) {
			if (this.attempting || this.peer.isClosed() || this.peer.isConnected() || this.netron.isClosed()
					|| this.netron.isDraining()) {
				return;
			}
			this.attempting = true;
			this.lastAttemptNanos = System.nanoTime();
			if (scheduled) {
				this.task = null;
			}
		}
		this.netron.countReconnectAttempt();
		// the outcome is handled on the scheduler, not on whatever thread failed the connection
		this.peer.open().whenCompleteAsync((peer, failure) -> {
			ScheduledFuture<?> pending;
			synchronized (this) {
				this.attempting = false;
				pending = (failure == null) ? this.task : null;
				if (failure == null) {
					this.task = null;
				}
			}
			if (failure == null) {
				if (pending != null) {
					pending.cancel(false);
				}
				logger.info("Successfully reconnected to {}.", this.peer.address());
			}
			else if (this.peer.isClosed()) {
				return;
			}
			else if (scheduled) {
				scheduleNext(failure.getMessage());
			}
			else {
				logger.debug("Reconnect to {} asked for by a call failed: {}", this.peer.address(), failure.getMessage());
			}
		}, this::runOnScheduler);
	}

	private void runOnScheduler(Runnable task) {
		try {
			this.netron.scheduler().execute(task);
		}
		catch (RejectedExecutionException ex) {
			// the node is closing: nothing to reconnect
		}
	}

}
