package io.netron.protocol;

import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

/**
 * Encodes and decodes whole packets: uint32 id, flags byte, one data value and, for STREAM
 * packets, uint32 stream id and uint32 chunk index, all big-endian, with no length prefix.
 * Bytes after the last field are ignored, as the seed-era TypeScript decoder ignores them, unless
 * the frame is decoded {@linkplain #decode(byte[], boolean) strictly}, as the Titan generation does.
 */
public final class PacketCodec {

	/** Bytes of the id and flags that start every packet. */
	public static final int HEADER_SIZE = 5;

	private final ValueCodec values;

	/** A packet codec with its own value codec. */
	public PacketCodec() {
		this(new ValueCodec());
	}

	/**
	 * A packet codec over the given value codec.
	 * @param values the value codec
	 */
	public PacketCodec(ValueCodec values) {
		this.values = values;
	}

	/**
	 * A codec whose Jackson 2 mapper (the one that turns wire values into records, JavaBeans and
	 * generic types, and application objects with serializers of their own into wire values) is
	 * the default one changed by {@code customizer}: register modules, set features.
	 * @param customizer changes the mapper
	 * @return the codec
	 */
	public static PacketCodec withMapper(java.util.function.Consumer<? super com.fasterxml.jackson.databind.ObjectMapper> customizer) {
		return new PacketCodec(new ValueCodec(new ValueConverter(ValueConverter.createMapper(customizer))));
	}

	/** {@return the value codec for packet data} */
	public ValueCodec values() {
		return this.values;
	}

	/**
	 * Encodes a packet into a new array.
	 * @param packet the packet
	 * @return its frame
	 */
	public byte[] encode(Packet packet) {
		MsgpackWriter out = new MsgpackWriter(64);
		out.u32(packet.id());
		out.u8(packet.flags());
		this.values.write(out, packet.data(), 0);
		if ((packet.flags() & PacketFlags.TYPE_MASK) == PacketType.STREAM.wireValue()) {
			out.u32(packet.streamId());
			out.u32(packet.streamIndex());
		}
		return out.toByteArray();
	}

	/**
	 * Decodes one frame.
	 * @param frame a whole frame
	 * @return the packet
	 */
	public Packet decode(byte[] frame) {
		return decode(frame, 0, frame.length);
	}

	/**
	 * Decodes one frame, refusing bytes after the last field when {@code strict} (Titan-generation
	 * connections refuse them).
	 * @param frame a whole frame
	 * @param strict whether trailing bytes make the frame malformed
	 * @return the packet
	 */
	public Packet decode(byte[] frame, boolean strict) {
		return decode(frame, 0, frame.length, strict, Long.MAX_VALUE).packet();
	}

	/**
	 * Decodes one frame whose objects may take at most {@code maxObjectBytes} of heap (estimated),
	 * and tells how much they take.
	 * @param frame a whole frame
	 * @param strict whether trailing bytes make the frame malformed
	 * @param maxObjectBytes the estimated heap the decoded value may take (what the node has left of
	 * its memory budget, for one)
	 * @return the packet and the estimated heap of its value
	 * @throws MalformedPacketException saying what was wrong, the cap included
	 */
	public Decoded decodeCounted(byte[] frame, boolean strict, long maxObjectBytes) {
		return decode(frame, 0, frame.length, strict, maxObjectBytes);
	}

	/**
	 * A decoded packet with the estimated heap its value takes.
	 * @param packet the packet
	 * @param objectBytes the estimated heap of the packet's value
	 */
	public record Decoded(Packet packet, long objectBytes) {
	}

	/**
	 * Decodes the remaining bytes of a buffer (its position is not moved).
	 * @param frame a whole frame, from its position to its limit
	 * @return the packet
	 */
	public Packet decode(ByteBuffer frame) {
		if (frame.hasArray()) {
			return decode(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
		}
		byte[] copy = new byte[frame.remaining()];
		frame.duplicate().get(copy);
		return decode(copy);
	}

	/**
	 * Decodes {@code length} bytes of {@code frame} from {@code offset}.
	 * @param frame the bytes
	 * @param offset where the frame starts
	 * @param length the frame's length
	 * @return the packet
	 * @throws MalformedPacketException saying what was wrong, with the packet id and flags when the
	 * header was readable
	 */
	public Packet decode(byte[] frame, int offset, int length) {
		return decode(frame, offset, length, false, Long.MAX_VALUE).packet();
	}

	private Decoded decode(byte[] frame, int offset, int length, boolean strict, long maxObjectBytes) {
		if (length < HEADER_SIZE) {
			throw new MalformedPacketException(
					"Frame of " + length + " bytes is shorter than the " + HEADER_SIZE + "-byte packet header");
		}
		MsgpackReader in = new MsgpackReader(frame, offset, length, maxObjectBytes);
		long id = in.u32("packet id");
		int flags = in.u8("packet flags");
		int typeValue = flags & PacketFlags.TYPE_MASK;
		if (typeValue > PacketType.STREAM_CLOSE.wireValue()) {
			throw new MalformedPacketException("Unknown packet type " + typeValue + " in packet " + id, id, flags);
		}
		try {
			if (in.remaining() == 0) {
				throw new ProtocolException("Truncated frame: packet data at offset " + HEADER_SIZE
						+ " needs at least 1 byte but 0 remain");
			}
			@Nullable Object data = this.values.read(in, 0);
			long streamId = 0;
			long streamIndex = 0;
			if (typeValue == PacketType.STREAM.wireValue()) {
				streamId = in.u32("stream id");
				streamIndex = in.u32("stream index");
			}
			if (strict && in.remaining() > 0) {
				throw new ProtocolException(in.remaining() + " bytes after the packet's last field at offset "
						+ (length - in.remaining()));
			}
			return new Decoded(new Packet(id, flags, data, streamId, streamIndex), in.spent());
		}
		catch (MsgpackReader.OverBudget ex) {
			throw new MalformedPacketException("Packet " + id + " refused: " + ex.getMessage(), id, flags, true);
		}
		catch (ProtocolException ex) {
			throw new MalformedPacketException("Malformed packet " + id + ": " + ex.getMessage(), id, flags);
		}
	}

}
