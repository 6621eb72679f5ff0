package io.netron.protocol;

/**
 * The bits of a packet's flags byte.
 */
public final class PacketFlags {

	/** Bits 0-3: the {@link PacketType}. */
	public static final int TYPE_MASK = 0x0F;

	/** Bit 4: the last packet of a stream. */
	public static final int END_OF_STREAM = 0x10;

	/** Bit 5: a packet of a live stream. */
	public static final int LIVE = 0x20;

	/** Bit 6: a request (set) or a response (clear). */
	public static final int IMPULSE = 0x40;

	/** Bit 7: a response whose data is an error. */
	public static final int ERROR = 0x80;

	private PacketFlags() {
	}

}
