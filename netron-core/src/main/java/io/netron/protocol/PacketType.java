package io.netron.protocol;

/**
 * The packet types, held in bits 0-3 of the flags byte.
 */
public enum PacketType {

	/** A ping: the request carries any value (a timestamp), the reply (flags {@code 0x00}) echoes it. */
	PING(0),

	/** Property read: {@code [defId, name]}. */
	GET(1),

	/** Property write: {@code [defId, name, value]}. */
	SET(2),

	/** Method call: {@code [defId, method, arg0, arg1, ...]}. */
	CALL(3),

	/** Task: {@code [taskName, arg0, ...]}. */
	TASK(4),

	/** A stream chunk; carries a stream id and index after the data. */
	STREAM(5),

	/** A stream failure: {@code {streamId, message}}. */
	STREAM_ERROR(6),

	/** The end of a stream that failed or was cancelled (Titan generation): {@code {streamId, reason}}. */
	STREAM_CLOSE(7);

	private static final PacketType[] BY_WIRE_VALUE = values();

	private final int wireValue;

	PacketType(int wireValue) {
		this.wireValue = wireValue;
	}

	/** {@return the value in the flags' type bits} */
	public int wireValue() {
		return this.wireValue;
	}

	/**
	 * The type for a value of the flags' type bits, rejecting values no type has.
	 * @param wireValue the type bits
	 * @return the type
	 */
	public static PacketType fromWireValue(int wireValue) {
		if (wireValue < 0 || wireValue >= BY_WIRE_VALUE.length) {
			throw new ProtocolException("Unknown packet type: " + wireValue);
		}
		return BY_WIRE_VALUE[wireValue];
	}

}
