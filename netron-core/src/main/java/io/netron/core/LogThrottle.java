package io.netron.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets at most one log line through per interval for lines a peer can cause at will (refused
 * connections, failing event listeners), and counts those it holds back so that the next line can
 * say how many there were: a flood costs one line a second, and nothing goes unseen.
 */
public final class LogThrottle {

	private final long intervalNanos;

	private final AtomicLong lastLogged;

	private final AtomicInteger heldBack = new AtomicInteger();

	/**
	 * A throttle letting one line through per interval.
	 * @param interval the interval
	 */
	public LogThrottle(Duration interval) {
		this.intervalNanos = interval.toNanos();
		this.lastLogged = new AtomicLong(System.nanoTime() - this.intervalNanos - 1);
	}

	/**
	 * Asks to log a line now.
	 * @return {@code -1} when the line is to be held back, otherwise how many lines were held back
	 * since the last one let through
	 */
	public int admit() {
		long now = System.nanoTime();
		long last = this.lastLogged.get();
		if (now - last <= this.intervalNanos || !this.lastLogged.compareAndSet(last, now)) {
			this.heldBack.incrementAndGet();
			return -1;
		}
		return this.heldBack.getAndSet(0);
	}

	/**
	 * The suffix of a line let through: how many were held back, if any.
	 * @param heldBack what {@link #admit()} returned
	 * @param what what the held-back lines were, such as {@code "refusals"}
	 * @return {@code " (and N more <what> held back)"}, or nothing
	 */
	public static String more(int heldBack, String what) {
		return (heldBack > 0) ? " (and " + heldBack + " more " + what + " held back)" : "";
	}

}
