package io.netron.transport;

import java.util.ArrayList;
import java.util.List;

/**
 * The parts of a binary message being assembled, kept as they came: no buffer that doubles as it
 * grows (and stays at its largest size afterwards); the parts are let go once the whole is made.
 */
final class FrameParts {

	private final List<byte[]> chunks = new ArrayList<>();

	private int size;

	/** {@return the bytes assembled so far} */
	int size() {
		return this.size;
	}

	void add(byte[] chunk) {
		this.chunks.add(chunk);
		this.size += chunk.length;
	}

	/** {@return the whole message; the parts are let go and the assembly starts over} */
	byte[] join() {
		byte[] whole = new byte[this.size];
		int at = 0;
		for (byte[] chunk : this.chunks) {
			System.arraycopy(chunk, 0, whole, at, chunk.length);
			at += chunk.length;
		}
		clear();
		return whole;
	}

	/** Drops what was assembled. */
	void clear() {
		this.chunks.clear();
		this.size = 0;
	}

}
