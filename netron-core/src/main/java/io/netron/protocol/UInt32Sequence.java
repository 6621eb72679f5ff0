package io.netron.protocol;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread-safe counter of uint32 ids that starts at 1, wraps from 4294967295 to 1 and never
 * yields 0, as packet ids and stream ids are drawn in the TypeScript Netron.
 */
public final class UInt32Sequence {

	private final AtomicInteger last;

	/** A sequence whose first id is 1. */
	public UInt32Sequence() {
		this(0);
	}

	/**
	 * A sequence that continues after {@code last} (a uint32).
	 * @param last the value before the first one returned
	 */
	public UInt32Sequence(long last) {
		if (last < 0 || last > 0xFFFF_FFFFL) {
			throw new IllegalArgumentException("Last id " + last + " is not a uint32");
		}
		this.last = new AtomicInteger((int) last);
	}

	/** {@return the next id, in 1..4294967295} */
	public long next() {
		// 0xFFFFFFFF is -1 as an int; the one after it is 1, never 0
		int next = this.last.updateAndGet((current) -> (current == -1) ? 1 : current + 1);
		return Integer.toUnsignedLong(next);
	}

}
