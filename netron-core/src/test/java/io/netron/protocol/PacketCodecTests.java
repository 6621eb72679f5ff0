package io.netron.protocol;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PacketCodecTests {

	private static final HexFormat HEX = HexFormat.of();

	private final PacketCodec codec = new PacketCodec();

	@Test
	void encodeCallRequestPinsHeaderFlagsAndSpreadArguments() {
		Packet packet = Packet.request(5, PacketType.CALL, List.of("d", "add", 2, 3));
		// id 5, flags 0x43 (impulse | CALL), fixarray of 4: "d", "add", 2, 3
		assertThat(HEX.formatHex(this.codec.encode(packet))).isEqualTo("000000054394a164a36164640203");
	}

	@Test
	void encodeResponsesClearImpulseAndSetErrorBit() {
		assertThat(HEX.formatHex(this.codec.encode(Packet.response(5, PacketType.CALL, 5)))).isEqualTo("000000050305");
		Packet error = Packet.errorResponse(7, PacketType.TASK, JsError.of(JsErrorType.ERROR, "x"));
		assertThat(this.codec.encode(error)[4]).isEqualTo((byte) 0x84);
	}

	@Test
	void encodeStreamChunkAppendsStreamIdAndIndexAfterData() {
		assertThat(HEX.formatHex(this.codec.encode(Packet.streamChunk(0x15, 1, 0, 0, false, false))))
			.isEqualTo("0000001545000000000100000000");
		// last live chunk: eos and live bits, null data
		assertThat(HEX.formatHex(this.codec.encode(Packet.streamChunk(0x19, 7, 6, null, true, true))))
			.isEqualTo("0000001975c00000000700000006");
	}

	@Test
	void decodeIgnoresTrailingBytesLikeTypeScript() {
		Packet packet = this.codec.decode(HEX.parseHex("000000050305deadbeef"));
		assertThat(packet.data()).isEqualTo(5);
	}

	@Test
	void decodeFromByteBufferReadsRemainingBytesOnly() {
		ByteBuffer buffer = ByteBuffer.wrap(HEX.parseHex("ff000000050305"));
		buffer.position(1);
		assertThat(this.codec.decode(buffer).id()).isEqualTo(5);
		assertThat(this.codec.decode(buffer.asReadOnlyBuffer()).id()).isEqualTo(5);
		assertThat(buffer.position()).isEqualTo(1);
	}

	@Test
	void decodeUnknownPacketTypeKeepsIdForErrorResponse() {
		assertThatExceptionOfType(MalformedPacketException.class)
			.isThrownBy(() -> this.codec.decode(HEX.parseHex("0000002a48c0")))
			.withMessage("Unknown packet type 8 in packet 42")
			.satisfies((ex) -> {
				assertThat(ex.hasHeader()).isTrue();
				assertThat(ex.packetId()).isEqualTo(42);
				assertThat(ex.flags()).isEqualTo(0x48);
			});
	}

	@Test
	void decodeLastKnownPacketTypeSucceeds() {
		// STREAM_CLOSE (7), added by the Titan generation
		assertThat(this.codec.decode(HEX.parseHex("0000002a47c0")).type()).isEqualTo(PacketType.STREAM_CLOSE);
	}

	@Test
	void decodeStrictRefusesTrailingBytesAndLenientIgnoresThem() {
		// CALL 9 with data 5, then one byte too many
		byte[] frame = HEX.parseHex("00000009430501");
		assertThat(this.codec.decode(frame).data()).isEqualTo(5);
		assertThat(this.codec.decode(HEX.parseHex("000000094305"), true).data()).isEqualTo(5);
		assertThatExceptionOfType(MalformedPacketException.class).isThrownBy(() -> this.codec.decode(frame, true))
			.withMessage("Malformed packet 9: 1 bytes after the packet's last field at offset 6")
			.satisfies((ex) -> assertThat(ex.flags()).isEqualTo(0x43));
	}

	@Test
	void decodeUndecodableDataKeepsIdForErrorResponse() {
		assertThatExceptionOfType(MalformedPacketException.class)
			.isThrownBy(() -> this.codec.decode(HEX.parseHex("0000000943c1")))
			.withMessage("Malformed packet 9: Reserved format byte 0xc1 at offset 5")
			.satisfies((ex) -> assertThat(ex.packetId()).isEqualTo(9));
	}

	@Test
	void decodeHeaderOnlyFrameFails() {
		assertThatExceptionOfType(MalformedPacketException.class)
			.isThrownBy(() -> this.codec.decode(HEX.parseHex("0000000943")))
			.withMessage("Malformed packet 9: Truncated frame: packet data at offset 5 needs at least 1 byte but 0 remain");
	}

	@Test
	void packetTypeDecodesItsOwnWireValueAndRejectsOthers() {
		for (PacketType type : PacketType.values()) {
			assertThat(PacketType.fromWireValue(type.wireValue())).isSameAs(type);
		}
		assertThat(PacketType.fromWireValue(6)).isEqualTo(PacketType.STREAM_ERROR);
		assertThat(PacketType.fromWireValue(7)).isEqualTo(PacketType.STREAM_CLOSE);
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> PacketType.fromWireValue(8))
			.withMessage("Unknown packet type: 8");
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> PacketType.fromWireValue(-1))
			.withMessage("Unknown packet type: -1");
	}

	@Test
	void packetRejectsValuesOutsideUint32() {
		assertThat(Packet.request(0xFFFF_FFFFL, PacketType.CALL, null).id()).isEqualTo(4294967295L);
		assertThatIllegalArgumentException().isThrownBy(() -> Packet.request(0x1_0000_0000L, PacketType.CALL, null))
			.withMessage("Packet id 4294967296 is not a uint32");
		assertThatIllegalArgumentException().isThrownBy(() -> Packet.request(-1, PacketType.CALL, null))
			.withMessage("Packet id -1 is not a uint32");
		assertThatIllegalArgumentException().isThrownBy(() -> new Packet(1, 0x100, null, 0, 0))
			.withMessage("Packet flags 256 do not fit in one byte");
	}

	@Test
	void packetFlagAccessorsReadTheirBits() {
		Packet packet = new Packet(1, PacketFlags.IMPULSE | PacketFlags.LIVE | PacketFlags.END_OF_STREAM | 5, null, 1, 2);
		assertThat(packet.isImpulse()).isTrue();
		assertThat(packet.isLive()).isTrue();
		assertThat(packet.isEndOfStream()).isTrue();
		assertThat(packet.isError()).isFalse();
		assertThat(packet.type()).isEqualTo(PacketType.STREAM);
	}

}
