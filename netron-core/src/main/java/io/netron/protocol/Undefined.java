package io.netron.protocol;

/**
 * JavaScript's {@code undefined}, distinct from {@code null} on the wire (fixext1 type 0).
 */
public enum Undefined {

	/** The only value. */
	INSTANCE;

	@Override
	public String toString() {
		return "undefined";
	}

}
