package io.netron.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
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
 * Every vector of {@code values.json} and {@code packets.json}, recorded from the TypeScript
 * Netron, decodes to the described value and re-encodes to the same bytes.
 */
class WireVectorsTests {

	private static final HexFormat HEX = HexFormat.of();

	/**
	 * Vectors where the Java encoder writes the canonical smallest form instead of the TypeScript
	 * encoder's bytes. Both decode to the same value on either side.
	 */
	private static final Map<String, String> CANONICAL_EXCEPTIONS = Map.of(
			// the TypeScript int32 bound is -214748365 (a typo for -2147483648): it writes int64 (d3)
			"int -214748365", "d2f3333333",
			"int -2147483648", "d280000000");

	/**
	 * Decode errors: the TypeScript message, and the Java message that says the same thing with
	 * the offset.
	 */
	private static final Map<String, String> DECODE_ERRORS = Map.of(
			"map too big to decode in JS", "map32 (0xdf) at offset 0 is not accepted: map too big to decode in JS",
			"Not implemented yet", "Reserved format byte 0xc1 at offset 0",
			"Unable to find ext type 5", "Unknown extension type 5 at offset 0",
			"Incomplete buffer", "Truncated frame: string of 5 bytes at offset 2 needs 5 bytes but 3 remain");

	/**
	 * Encode errors: JavaScript values without a wire form, and the Java values that stand for them.
	 */
	private static final Map<String, Object> UNSUPPORTED = Map.of(
			"Not supported: function", (Runnable) () -> { },
			"Not supported: symbol", new Object());

	private final ValueCodec values = new ValueCodec();

	private final PacketCodec packets = new PacketCodec(this.values);

	static Stream<Arguments> values() throws IOException {
		return vectors("values.json", "vectors");
	}

	static Stream<Arguments> packets() throws IOException {
		return vectors("packets.json", "packets");
	}

	private static Stream<Arguments> vectors(String file, String field) throws IOException {
		try (InputStream in = WireVectorsTests.class.getResourceAsStream("/wire-vectors/" + file)) {
			JsonNode root = new ObjectMapper().readTree(in);
			List<Arguments> arguments = new ArrayList<>();
			root.get(field).forEach((vector) -> arguments.add(Arguments.of(vector.get("name").asText(), vector)));
			assertThat(arguments).isNotEmpty();
			return arguments.stream();
		}
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("values")
	void valueVectorDecodesAsDescribedAndReencodesToSameBytes(String name, JsonNode vector) {
		if (vector.has("encodeError")) {
			Object value = UNSUPPORTED.get(vector.get("encodeError").asText());
			assertThat(value).as("Java stand-in for %s", name).isNotNull();
			assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> this.values.encode(value))
				.withMessageStartingWith("Not supported: ");
			return;
		}
		byte[] bytes = HEX.parseHex(vector.get("hex").asText());
		if (vector.has("decodeError")) {
			String expected = DECODE_ERRORS.get(vector.get("decodeError").asText());
			assertThat(expected).as("Java message for %s", name).isNotNull();
			assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> this.values.decode(bytes))
				.withMessage(expected);
			return;
		}
		Object decoded = this.values.decode(bytes);
		assertThat(JsValueDescriptions.mismatches(decoded, vector.get("decoded"))).isEmpty();
		byte[] reencoded = this.values.encode(decoded);
		if (vector.path("decodeOnly").asBoolean()) {
			// a non-canonical form: Java writes the canonical one, which reads back as the same value
			assertThat(JsValueDescriptions.mismatches(this.values.decode(reencoded), vector.get("decoded"))).isEmpty();
		}
		else if (CANONICAL_EXCEPTIONS.containsKey(name)) {
			assertThat(HEX.formatHex(reencoded)).isEqualTo(CANONICAL_EXCEPTIONS.get(name));
			assertThat(JsValueDescriptions.mismatches(this.values.decode(reencoded), vector.get("decoded"))).isEmpty();
		}
		else {
			assertThat(HEX.formatHex(reencoded)).isEqualTo(vector.get("hex").asText());
		}
	}

	@Test
	void canonicalExceptionsNameExistingVectors() throws IOException {
		List<String> names = values().map((arguments) -> (String) arguments.get()[0]).toList();
		assertThat(names).containsAll(CANONICAL_EXCEPTIONS.keySet());
	}

	@Test
	void negativeZeroInputIsWrittenAsZeroLikeTypeScript() {
		assertThat(HEX.formatHex(this.values.encode(-0.0))).isEqualTo("00");
	}

	@Test
	void dateBeforeEpochInputIsWrittenInTwosComplementLikeTypeScript() {
		assertThat(HEX.formatHex(this.values.encode(Instant.ofEpochMilli(-1000)))).isEqualTo("d77dfffffffffffffc18");
	}

	@Test
	void errorSubclassInputKeepsItsNameWithStandardIdOne() {
		JsError error = JsError.named("MyCustomError", "custom")
			.withStack("MyCustomError: custom\n    at fixedFrame (/app/service.js:10:5)");
		assertThat(HEX.formatHex(this.values.encode(error))).startsWith("c7597e0001ad4d79437573746f6d4572726f72");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("packets")
	void packetVectorDecodesAsDescribedAndReencodesToSameBytes(String name, JsonNode vector) {
		byte[] bytes = HEX.parseHex(vector.get("hex").asText());
		Packet packet = this.packets.decode(bytes);
		assertThat(packet.id()).isEqualTo(vector.get("id").asLong());
		assertThat(packet.flags()).isEqualTo(vector.get("flags").asInt());
		assertThat(packet.type().name()).isEqualTo(vector.get("typeName").asText());
		assertThat(packet.type().wireValue()).isEqualTo(vector.get("type").asInt());
		assertThat(packet.isImpulse()).isEqualTo(vector.get("impulse").asInt() == 1);
		assertThat(packet.isError()).isEqualTo(vector.get("error").asInt() == 1);
		assertThat(packet.isEndOfStream()).isEqualTo(vector.get("eos").asInt() == 1);
		assertThat(packet.isLive()).isEqualTo(vector.get("live").asInt() == 1);
		if (packet.type() == PacketType.STREAM) {
			assertThat(packet.streamId()).isEqualTo(vector.get("streamId").asLong());
			assertThat(packet.streamIndex()).isEqualTo(vector.get("streamIndex").asLong());
		}
		else {
			assertThat(vector.get("streamId").isNull()).isTrue();
		}
		assertThat(JsValueDescriptions.mismatches(packet.data(), vector.get("data"))).isEmpty();
		assertThat(HEX.formatHex(this.packets.encode(packet))).isEqualTo(vector.get("hex").asText());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("packets")
	void packetVectorTruncatedAtEveryOffsetIsRejected(String name, JsonNode vector) {
		byte[] bytes = HEX.parseHex(vector.get("hex").asText());
		for (int length = 0; length < bytes.length; length++) {
			int cut = length;
			assertThatExceptionOfType(MalformedPacketException.class).as("cut at %d", cut)
				.isThrownBy(() -> this.packets.decode(bytes, 0, cut))
				.satisfies((ex) -> {
					assertThat(ex.hasHeader()).isEqualTo(cut >= PacketCodec.HEADER_SIZE);
					if (cut < PacketCodec.HEADER_SIZE) {
						assertThat(ex).hasMessage(
								"Frame of " + cut + " bytes is shorter than the 5-byte packet header");
					}
					else {
						assertThat(ex.packetId()).isEqualTo(vector.get("id").asLong());
						assertThat(ex.getMessage()).startsWith("Malformed packet " + vector.get("id").asLong()
								+ ": Truncated frame: ");
					}
				});
		}
	}

}
