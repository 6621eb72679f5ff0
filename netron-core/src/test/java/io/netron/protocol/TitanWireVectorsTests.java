package io.netron.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every frame of {@code titan/frames.json}, captured from a running Titan Netron node, decodes
 * as described (strictly: no trailing bytes) and encodes back to the very same bytes; the JSON
 * handshake frames parse and are written back byte for byte.
 */
class TitanWireVectorsTests {

	private static final HexFormat HEX = HexFormat.of();

	private final PacketCodec packets = new PacketCodec();

	static Stream<Arguments> frames() throws IOException {
		List<Arguments> arguments = new ArrayList<>();
		for (JsonNode exchange : exchanges()) {
			JsonNode frames = exchange.get("frames");
			for (int i = 0; i < frames.size(); i++) {
				arguments.add(Arguments.of(exchange.get("name").asText() + " #" + i, frames.get(i)));
			}
		}
		assertThat(arguments).hasSizeGreaterThan(60);
		return arguments.stream();
	}

	static JsonNode exchanges() throws IOException {
		try (InputStream in = TitanWireVectorsTests.class.getResourceAsStream("/wire-vectors/titan/frames.json")) {
			JsonNode exchanges = new ObjectMapper().readTree(in).get("exchanges");
			assertThat(exchanges).hasSize(24);
			return exchanges;
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("frames")
	void frameDecodesAsDescribedAndEncodesToTheSameBytes(String name, JsonNode frame) {
		byte[] bytes = HEX.parseHex(frame.get("hex").asText());
		assertThat(bytes).hasSize(frame.get("length").asInt());
		if (frame.has("text")) {
			assertThat(HandshakeFrame.looksLikeJson(bytes)).isTrue();
			HandshakeFrame handshake = HandshakeFrame.parse(bytes);
			assertThat(handshake.type()).isEqualTo(frame.get("decoded").get("type").asText());
			assertThat(handshake.id()).isEqualTo(frame.get("decoded").get("id").asText());
			assertThat(handshake.toJson()).isEqualTo(frame.get("text").asText());
			assertThat(handshake.toBytes()).isEqualTo(bytes);
			assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(frame.get("text").asText());
			return;
		}
		assertThat(HandshakeFrame.looksLikeJson(bytes)).isFalse();
		JsonNode decoded = frame.get("decoded");
		Packet packet = this.packets.decode(bytes, true);
		assertThat(packet.id()).isEqualTo(decoded.get("id").asLong());
		assertThat(packet.flags()).isEqualTo(decoded.get("flags").asInt());
		assertThat(packet.type().wireValue()).isEqualTo(decoded.get("type").asInt());
		assertThat(packet.type().name()).isEqualTo(decoded.get("typeName").asText());
		assertThat(packet.isImpulse()).isEqualTo(decoded.get("impulse").asInt() == 1);
		assertThat(packet.isError()).isEqualTo(decoded.get("error").asInt() == 1);
		assertThat(packet.isEndOfStream()).isEqualTo(decoded.get("eos").asInt() == 1);
		assertThat(packet.isLive()).isEqualTo(decoded.get("live").asInt() == 1);
		if (packet.type() == PacketType.STREAM) {
			assertThat(packet.streamId()).isEqualTo(decoded.get("streamId").asLong());
			assertThat(packet.streamIndex()).isEqualTo(decoded.get("streamIndex").asLong());
		}
		assertThat(JsValueDescriptions.mismatches(packet.data(), decoded.get("data"))).isEmpty();
		String canonical = CANONICAL_FORMS.get(frame.get("hex").asText());
		assertThat(HEX.formatHex(this.packets.encode(packet)))
			.isEqualTo((canonical != null) ? canonical : frame.get("hex").asText());
	}

	/**
	 * Frames where Java writes the JavaScript number's canonical form, as Titan itself does: the
	 * capture's client wrote the ping's timestamp as a uint64, and the Titan server's pong carries
	 * the same number as the float64 that Java writes too.
	 */
	private static final Map<String, String> CANONICAL_FORMS = Map.of("0000000140cf0000018bcfe56800",
			"0000000140cb4278bcfe56800000");

	@Test
	void everyPacketFrameWithOneMoreByteIsRefusedStrictlyAndReadLeniently() throws IOException {
		int checked = 0;
		for (JsonNode exchange : exchanges()) {
			for (JsonNode frame : exchange.get("frames")) {
				if (frame.has("text")) {
					continue;
				}
				byte[] longer = HEX.parseHex(frame.get("hex").asText() + "c0");
				assertThatExceptionOfType(MalformedPacketException.class)
					.isThrownBy(() -> this.packets.decode(longer, true))
					.withMessageEndingWith("1 bytes after the packet's last field at offset " + (longer.length - 1));
				assertThat(this.packets.decode(longer).id()).isEqualTo(frame.get("decoded").get("id").asLong());
				checked++;
			}
		}
		assertThat(checked).isGreaterThan(60);
	}

	@Test
	void titanErrorMadeAsTitanMakesItEncodesLikeTheCapturedOne() {
		// the 404 of query_interface("nosuch@9.9.9"), with the capture's timestamp
		TitanError error = new TitanError("TitanError", 404, "Service 'nosuch@9.9.9' not found",
				Map.of("serviceName", "nosuch@9.9.9"), Map.of(), 1796452295412.0, Undefined.INSTANCE,
				Undefined.INSTANCE, Undefined.INSTANCE, Undefined.INSTANCE, null, null, null);
		assertThat(HEX.formatHex(this.packets.encode(Packet.errorResponse(5, PacketType.TASK, error))))
			.isEqualTo("0000000584c7636eaa546974616e4572726f72cd0194d9205365727669636520276e6f7375636840392e392e3927"
					+ "206e6f7420666f756e6481ab736572766963654e616d65ac6e6f7375636840392e392e3980cb427a244e6a2f4000"
					+ "d40000d40000d40000d40000c0c0c0");
		TitanError made = TitanError.of(404, "x", Map.of());
		assertThat(made.name()).isEqualTo("TitanError");
		assertThat(made.timestamp()).isInstanceOf(Double.class);
		assertThat(made.requestId()).isSameAs(Undefined.INSTANCE);
		assertThat(made.rawStack()).isNull();
	}

	@Test
	void titanErrorWithANonIntegerCodeIsRefused() {
		// ext8 of 5 bytes: name "x", code 1.5 as float64 would not fit; use a string code instead
		byte[] bytes = HEX.parseHex("c7056ea178a178c0");
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> new ValueCodec().decode(bytes))
			.withMessageStartingWith("TitanError code at offset 0 is not an integer but String x");
	}

	@Test
	void handshakeFramesThatAreNotJsonOrLackAnIdAreRefusedWithWhatIsWrong() {
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> HandshakeFrame.parse("{nope"))
			.withMessage("Handshake frame is not valid JSON: {nope");
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> HandshakeFrame.parse("{\"id\":\"a\"}"))
			.withMessage("Handshake frame has no \"type\": {\"id\":\"a\"}");
		assertThatExceptionOfType(ProtocolException.class)
			.isThrownBy(() -> HandshakeFrame.parse("{\"type\":\"client-id\",\"id\":7}"))
			.withMessage("Handshake frame has no \"id\" string: {\"type\":\"client-id\",\"id\":7}");
		assertThatExceptionOfType(ProtocolException.class)
			.isThrownBy(() -> HandshakeFrame.parse(new byte[HandshakeFrame.MAX_LENGTH + 1]))
			.withMessage("Handshake frame of 4097 bytes exceeds the limit of 4096");
		assertThat(HandshakeFrame.parse("{\"type\":\"client-id\",\"id\":\"a\"}").isClientId()).isTrue();
	}

}
