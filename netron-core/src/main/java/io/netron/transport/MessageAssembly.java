package io.netron.transport;

import java.util.function.IntFunction;

import io.netron.core.ConnectionListener;
import io.netron.core.MemoryBudget;
import org.jspecify.annotations.Nullable;

/**
 * The binary messages of one connection, as they arrive in parts: kept as they came (no buffer
 * doubling as it grows) up to the node's maximum message size, drawn from the node's memory
 * budget while they are assembled, and handed to the engine once whole. Once a part is refused the
 * connection is closing: what was assembled is given back to the budget at once, and what still
 * comes is dropped. The same rule on every transport.
 * Not thread-safe: a connection's parts come one at a time.
 */
final class MessageAssembly {

	/** What became of a part. */
	enum Outcome {

		/** Kept, or delivered with the message it completed. */
		TAKEN,

		/** The message would exceed the maximum size: the caller closes with 1009. */
		TOO_BIG,

		/** The budget has no room for it: the caller closes with 1013. */
		OVER_BUDGET,

		/** Dropped without a word: a part was refused before, or the connection's account is closed. */
		DROPPED

	}

	private final FrameParts parts = new FrameParts();

	private final int maxMessageSize;

	private boolean discarding;

	/** What was assembled when a part was refused, for the log line. */
	private int assembledWhenRefused;

	MessageAssembly(int maxMessageSize) {
		this.maxMessageSize = maxMessageSize;
	}

	/**
	 * Takes the next part of a binary message.
	 * @param listener the engine's listener, which gets the whole message and holds the budget's account
	 * @param length the part's length
	 * @param last whether it ends the message
	 * @param read reads the part into a new array of the given length (called only when it is kept)
	 * @return what became of it
	 */
	Outcome part(ConnectionListener listener, int length, boolean last, IntFunction<byte[]> read) {
		if (this.discarding) {
			return Outcome.DROPPED;
		}
		MemoryBudget.Account memory = (last && this.parts.size() == 0) ? null : listener.memory();
		if (this.parts.size() + length > this.maxMessageSize) {
			return refuse(Outcome.TOO_BIG, memory);
		}
		if (last && this.parts.size() == 0) {
			listener.onBinary(read.apply(length));
			return Outcome.TAKEN;
		}
		if (memory != null && !memory.take(length)) {
			return refuse(memory.isClosed() ? Outcome.DROPPED : Outcome.OVER_BUDGET, memory);
		}
		this.parts.add(read.apply(length));
		if (last) {
			int assembled = this.parts.size();
			try {
				listener.onBinary(this.parts.join());
			}
			finally {
				if (memory != null) {
					memory.give(assembled);
				}
			}
		}
		return Outcome.TAKEN;
	}

	/**
	 * Refuses the part: what was assembled is dropped and given back to the budget at once, not
	 * when the connection has closed (an evicted connection's close may wait for its peer).
	 */
	private Outcome refuse(Outcome outcome, MemoryBudget.@Nullable Account memory) {
		this.discarding = true;
		this.assembledWhenRefused = this.parts.size();
		this.parts.clear();
		if (memory != null && this.assembledWhenRefused > 0) {
			memory.give(this.assembledWhenRefused);
		}
		return outcome;
	}

	/** {@return the bytes of the message that were assembled when a part was refused} */
	int assembledWhenRefused() {
		return this.assembledWhenRefused;
	}

	/** {@return the largest message taken} */
	int maxMessageSize() {
		return this.maxMessageSize;
	}

}
