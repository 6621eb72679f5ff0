package io.netron.protocol;

/**
 * A frame that is not a valid packet. When the five-byte header could be read, the packet id and
 * flags are kept so that the receiver can answer the request with an error response.
 */
public class MalformedPacketException extends ProtocolException {

	/** The packet id, or -1 when the frame was too short to hold one. */
	private final long packetId;

	/** The flags byte, or -1 when the frame was too short to hold one. */
	private final int flags;

	MalformedPacketException(String message) {
		this(message, -1, -1);
	}

	/** Whether the frame was refused for what the node had left of its memory budget, not for its shape. */
	private final boolean overBudget;

	MalformedPacketException(String message, long packetId, int flags) {
		this(message, packetId, flags, false);
	}

	MalformedPacketException(String message, long packetId, int flags, boolean overBudget) {
		super(message);
		this.packetId = packetId;
		this.flags = flags;
		this.overBudget = overBudget;
	}

	/**
	 * {@return whether the frame was refused because it would decode to more than the node had
	 * left of its memory budget: a well-formed request to refuse as overloaded, not as malformed}
	 */
	public boolean isOverBudget() {
		return this.overBudget;
	}

	/** {@return whether the packet id and flags were readable} */
	public boolean hasHeader() {
		return this.packetId >= 0;
	}

	/** {@return the packet id, or -1 when the frame was too short to hold one} */
	public long packetId() {
		return this.packetId;
	}

	/** {@return the flags byte, or -1 when the frame was too short to hold one} */
	public int flags() {
		return this.flags;
	}

}
