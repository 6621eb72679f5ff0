package io.netron.protocol;

import org.jspecify.annotations.Nullable;

/**
 * One Netron packet: a uint32 id, the flags byte, exactly one data value and, for
 * {@link PacketType#STREAM} packets, the uint32 stream id and chunk index.
 *
 * @param id the packet id (uint32); a response reuses its request's id
 * @param flags the flags byte (see {@link PacketFlags})
 * @param data the data value (see {@link ValueCodec} for the Java types)
 * @param streamId the stream id (uint32) of a STREAM packet, else 0
 * @param streamIndex the chunk index (uint32) of a STREAM packet, else 0
 */
public record Packet(long id, int flags, @Nullable Object data, long streamId, long streamIndex) {

	/**
	 * Checks the components.
	 * @param id the packet id (uint32); a response reuses its request's id
	 * @param flags the flags byte (see {@link PacketFlags})
	 * @param data the data value (see {@link ValueCodec} for the Java types)
	 * @param streamId the stream id (uint32) of a STREAM packet, else 0
	 * @param streamIndex the chunk index (uint32) of a STREAM packet, else 0
	 */
	public Packet {
		checkUint32(id, "Packet id");
		checkUint32(streamId, "Stream id");
		checkUint32(streamIndex, "Stream index");
		if ((flags & ~0xFF) != 0) {
			throw new IllegalArgumentException("Packet flags " + flags + " do not fit in one byte");
		}
	}

	/**
	 * A request (impulse set) of the given type.
	 * @param id the packet id
	 * @param type the packet type
	 * @param data the request's data
	 * @return the packet
	 */
	public static Packet request(long id, PacketType type, @Nullable Object data) {
		return new Packet(id, PacketFlags.IMPULSE | type.wireValue(), data, 0, 0);
	}

	/**
	 * The successful response to a request: same id and type, impulse clear.
	 * @param id the request's packet id
	 * @param type the request's type
	 * @param data the result
	 * @return the packet
	 */
	public static Packet response(long id, PacketType type, @Nullable Object data) {
		return new Packet(id, type.wireValue(), data, 0, 0);
	}

	/**
	 * The error response to a request: same id and type, error bit set.
	 * @param id the request's packet id
	 * @param type the request's type
	 * @param error the error
	 * @return the packet
	 */
	public static Packet errorResponse(long id, PacketType type, JsError error) {
		return new Packet(id, PacketFlags.ERROR | type.wireValue(), error, 0, 0);
	}

	/**
	 * A stream chunk; the last one carries {@code null} data and {@code endOfStream}.
	 * @param id the packet id
	 * @param streamId the stream
	 * @param streamIndex the chunk's index in the stream
	 * @param data the chunk
	 * @param endOfStream whether this packet ends the stream
	 * @param live whether the stream is live
	 * @return the packet
	 */
	public static Packet streamChunk(long id, long streamId, long streamIndex, @Nullable Object data,
			boolean endOfStream, boolean live) {
		int flags = PacketFlags.IMPULSE | PacketType.STREAM.wireValue() | (endOfStream ? PacketFlags.END_OF_STREAM : 0)
				| (live ? PacketFlags.LIVE : 0);
		return new Packet(id, flags, data, streamId, streamIndex);
	}

	/**
	 * The error response to a request whose type bits may name no known type: same id and type
	 * bits, error bit set.
	 * @param id the request's packet id
	 * @param requestFlags the request's flags byte (its type bits are kept, even unknown ones)
	 * @param error the error
	 * @return the packet
	 */
	public static Packet errorResponse(long id, int requestFlags, JsError error) {
		return new Packet(id, PacketFlags.ERROR | (requestFlags & PacketFlags.TYPE_MASK), error, 0, 0);
	}

	/**
	 * The packet type from the flags.
	 * @return the type
	 * @throws ProtocolException for type bits no type has (only packets built in Java can carry them)
	 */
	public PacketType type() {
		return PacketType.fromWireValue(this.flags & PacketFlags.TYPE_MASK);
	}

	/** {@return whether this is a request (or stream packet) rather than a response} */
	public boolean isImpulse() {
		return (this.flags & PacketFlags.IMPULSE) != 0;
	}

	/** {@return whether this response carries an error} */
	public boolean isError() {
		return (this.flags & PacketFlags.ERROR) != 0;
	}

	/** {@return whether this is the last packet of a stream} */
	public boolean isEndOfStream() {
		return (this.flags & PacketFlags.END_OF_STREAM) != 0;
	}

	/** {@return whether this packet belongs to a live stream} */
	public boolean isLive() {
		return (this.flags & PacketFlags.LIVE) != 0;
	}

	private static void checkUint32(long value, String what) {
		if (value < 0 || value > 0xFFFF_FFFFL) {
			throw new IllegalArgumentException(what + " " + value + " is not a uint32");
		}
	}

}
