package io.netron.protocol;

import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked big-endian reader over one frame. Every read checks the bytes left first, so
 * no declared length can make it read past the frame or allocate more than the frame holds.
 * Offsets in messages count from the start of the frame.
 *
 * <p>It also keeps the frame's decoding budget: what a frame decodes to is bounded in (estimated)
 * heap bytes in proportion to its size, so that a frame of one-byte empty containers cannot
 * make the node allocate fifty times its size.
 */
final class MsgpackReader {

	/** Estimated heap a frame may decode to: this many times its size, plus {@link #BUDGET_BASE}. */
	static final int BUDGET_FACTOR = 24;

	/** Estimated heap any frame may decode to, whatever its size. */
	static final long BUDGET_BASE = 1 << 20;

	private final long budget;

	private long spent;

	private final byte[] buf;

	private final int base;

	private int pos;

	private int limit;

	/** What the node has left of its memory budget for this frame's objects ({@link Long#MAX_VALUE}: no cap). */
	private final long nodeCap;

	MsgpackReader(byte[] buf, int offset, int length) {
		this(buf, offset, length, Long.MAX_VALUE);
	}

	MsgpackReader(byte[] buf, int offset, int length, long nodeCap) {
		this.buf = buf;
		this.base = offset;
		this.pos = offset;
		this.limit = offset + length;
		this.budget = BUDGET_BASE + (long) BUDGET_FACTOR * length;
		this.nodeCap = nodeCap;
	}

	/** {@return the estimated heap of the objects read so far} */
	long spent() {
		return this.spent;
	}

	/**
	 * Counts {@code bytes} of estimated heap against the frame's budget, before they are allocated.
	 * @throws ProtocolException when the frame would decode to more than its budget
	 */
	void charge(long bytes, int offset) {
		this.spent += bytes;
		if (this.spent > this.nodeCap) {
			throw new OverBudget("Frame of " + (this.limit - this.base) + " bytes decodes to more than the "
					+ this.nodeCap + " bytes of objects the node has left of its memory budget (at offset " + offset
					+ "; netron.server.max-buffered-bytes)");
		}
		if (this.spent > this.budget) {
			throw new ProtocolException("Frame of " + (this.limit - this.base) + " bytes decodes to more than "
					+ this.budget + " bytes of objects (at offset " + offset + "; a frame may decode to " + BUDGET_FACTOR
					+ " times its size plus 1 MiB)");
		}
	}

	/** Offset of the next byte, from the start of the frame. */
	int offset() {
		return this.pos - this.base;
	}

	int remaining() {
		return this.limit - this.pos;
	}

	int limit() {
		return this.limit;
	}

	/** Narrows reading to the next {@code length} bytes; returns the old limit for {@link #endSection}. */
	int beginSection(int length) {
		int oldLimit = this.limit;
		this.limit = this.pos + length;
		return oldLimit;
	}

	/** Skips what is left of the section and restores the limit. */
	void endSection(int oldLimit) {
		this.pos = this.limit;
		this.limit = oldLimit;
	}

	/** Whether {@code count} more bytes are left (callers build their failure message only when not). */
	boolean fits(long count) {
		return count <= this.limit - this.pos;
	}

	void need(long count, String what) {
		if (count > this.limit - this.pos) {
			throw new ProtocolException("Truncated frame: " + what + " at offset " + offset() + " needs " + count
					+ " bytes but " + remaining() + " remain");
		}
	}

	/** Checks that a value starting at {@code offset} whose parts take at least {@code count} bytes can fit. */
	void needAtLeast(long count, String what, int offset) {
		if (count > this.limit - this.pos) {
			throw new ProtocolException("Truncated frame: " + what + " at offset " + offset + " needs at least " + count
					+ " bytes but " + remaining() + " remain");
		}
	}

	int u8(String what) {
		need(1, what);
		return this.buf[this.pos++] & 0xFF;
	}

	int u16(String what) {
		need(2, what);
		int value = ((this.buf[this.pos] & 0xFF) << 8) | (this.buf[this.pos + 1] & 0xFF);
		this.pos += 2;
		return value;
	}

	long u32(String what) {
		need(4, what);
		return Integer.toUnsignedLong(i32unchecked());
	}

	int i32(String what) {
		need(4, what);
		return i32unchecked();
	}

	private int i32unchecked() {
		byte[] b = this.buf;
		int p = this.pos;
		int value = ((b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
		this.pos = p + 4;
		return value;
	}

	long i64(String what) {
		need(8, what);
		long high = Integer.toUnsignedLong(i32unchecked());
		long low = Integer.toUnsignedLong(i32unchecked());
		return (high << 32) | low;
	}

	String utf8(long length) {
		if (!fits(length)) {
			need(length, "string of " + length + " bytes");
		}
		charge(40 + length, offset());
		String value = new String(this.buf, this.pos, (int) length, StandardCharsets.UTF_8);
		this.pos += (int) length;
		return value;
	}

	byte[] bytes(long length, String what) {
		need(length, what);
		charge(16 + length, offset());
		byte[] value = new byte[(int) length];
		System.arraycopy(this.buf, this.pos, value, 0, (int) length);
		this.pos += (int) length;
		return value;
	}

	/** The frame would decode to more than the node has left of its memory budget. */
	static final class OverBudget extends ProtocolException {

		OverBudget(String message) {
			super(message);
		}

	}

}
