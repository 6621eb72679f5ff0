package io.netron.protocol;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ValueCodecTests {

	private static final HexFormat HEX = HexFormat.of();

	private final ValueCodec codec = new ValueCodec();

	private String hex(@Nullable Object value) {
		return HEX.formatHex(this.codec.encode(value));
	}

	private @Nullable Object decode(String hex) {
		return this.codec.decode(HEX.parseHex(hex));
	}

	// ------------------------------------------------------------ Java values on the wire

	@Test
	void encodeLongFollowsJavaScriptNumbersUpToTwoToThe53() {
		assertThat(hex(5L)).isEqualTo("05");
		assertThat(hex(2147483648L)).isEqualTo("cb41e0000000000000");
		assertThat(hex((1L << 53) - 1)).isEqualTo("cb433fffffffffffff");
		assertThat(hex(-((1L << 53) - 1))).isEqualTo("cbc33fffffffffffff");
	}

	@Test
	void encodeLongBeyondTwoToThe53WritesSignedLongExtensionSoNothingIsLost() {
		// ext 119: unsigned flag 0, then int64 big-endian; a TypeScript peer reads a Long
		assertThat(hex(1L << 53)).isEqualTo("c70977000020000000000000");
		assertThat(hex(Long.MIN_VALUE)).isEqualTo("c70977008000000000000000");
		assertThat(decode(hex(Long.MAX_VALUE))).isEqualTo(new JsLong(Long.MAX_VALUE, false));
	}

	@Test
	void encodeDoubleWritesIntegralInt32ValuesAsIntegersLikeJavaScript() {
		assertThat(hex(3.0)).isEqualTo("03");
		assertThat(hex(-33.0)).isEqualTo("d0df");
		assertThat(hex(2.5f)).isEqualTo("cb4004000000000000");
		assertThat(hex(Double.NaN)).isEqualTo("cb7ff8000000000000");
	}

	@Test
	void encodeIntBoundariesUseSmallestForm() {
		assertThat(hex(127)).isEqualTo("7f");
		assertThat(hex(128)).isEqualTo("cc80");
		assertThat(hex(255)).isEqualTo("ccff");
		assertThat(hex(256)).isEqualTo("cd0100");
		assertThat(hex(65535)).isEqualTo("cdffff");
		assertThat(hex(65536)).isEqualTo("ce00010000");
		assertThat(hex(-32)).isEqualTo("e0");
		assertThat(hex(-33)).isEqualTo("d0df");
		assertThat(hex(-128)).isEqualTo("d080");
		assertThat(hex(-129)).isEqualTo("d1ff7f");
		assertThat(hex(-32768)).isEqualTo("d18000");
		assertThat(hex(-32769)).isEqualTo("d2ffff7fff");
		assertThat(hex((short) 300)).isEqualTo("cd012c");
		assertThat(hex((byte) -1)).isEqualTo("ff");
	}

	@Test
	void encodeStringHeaderBoundariesCountUtf8Bytes() {
		assertThat(hex("a".repeat(31))).startsWith("bf");
		assertThat(hex("a".repeat(32))).startsWith("d920");
		assertThat(hex("a".repeat(255))).startsWith("d9ff");
		assertThat(hex("a".repeat(256))).startsWith("da0100");
		assertThat(hex("a".repeat(65535))).startsWith("daffff");
		assertThat(hex("a".repeat(65536))).startsWith("db00010000");
		assertThat(hex("\u00e9".repeat(16))).startsWith("d920");
	}

	@Test
	void encodeLoneSurrogateWritesReplacementCharacterLikeNode() {
		assertThat(hex("a\ud800b")).isEqualTo("a561efbfbd62");
		assertThat(hex("\udc00")).isEqualTo("a3efbfbd");
	}

	@Test
	void encodeCollectionHeaderBoundaries() {
		assertThat(hex(List.of())).isEqualTo("90");
		assertThat(hex(new int[15])).startsWith("9f");
		assertThat(hex(new int[16])).startsWith("dc0010");
		assertThat(hex(new int[65535])).startsWith("dcffff");
		assertThat(hex(new int[65536])).startsWith("dd00010000");
		assertThat(hex(new byte[255])).startsWith("c4ff");
		assertThat(hex(new byte[256])).startsWith("c50100");
		assertThat(hex(new byte[65536])).startsWith("c600010000");
	}

	@Test
	void encodeExtensionHeaderUsesFixextForPowerOfTwoPayloads() {
		// a Set of n fixints has a 4 + n byte payload
		assertThat(hex(new LinkedHashSet<>(List.of()))).isEqualTo("d67b00000000");
		assertThat(hex(new LinkedHashSet<>(List.of(1, 2, 3, 4)))).isEqualTo("d77b0000000401020304");
		assertThat(hex(new LinkedHashSet<>(List.of(1)))).isEqualTo("c7057b0000000101");
		Set<Integer> twelve = new LinkedHashSet<>();
		for (int i = 0; i < 12; i++) {
			twelve.add(i);
		}
		assertThat(hex(twelve)).startsWith("d87b0000000c");
		byte[] bytes = new byte[300];
		assertThat(hex(Set.of(bytes))).startsWith("c801337b00000001c5012c");
	}

	@Test
	void encodeMapWithStringKeysWritesPlainObject() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("a", 1);
		map.put("b", "two");
		assertThat(hex(map)).isEqualTo("82a16101a162a374776f");
	}

	@Test
	void encodeMapWithOtherKeysWritesJavaScriptMap() {
		Map<Object, Object> map = new TreeMap<>(Map.of(1, "one"));
		assertThat(hex(map)).isEqualTo("c7097c0000000101a36f6e65");
		assertThat(decode(hex(map))).isInstanceOf(JsMap.class).isEqualTo(Map.of(1, "one"));
	}

	@Test
	void encodeJsMapWithStringKeysStaysJavaScriptMap() {
		JsMap map = new JsMap();
		map.put("a", 1);
		assertThat(hex(map)).isEqualTo("c7077c00000001a16101");
	}

	@Test
	void encodeJavaTypesAsTheirJavaScriptCounterparts() {
		assertThat(hex(Instant.parse("2024-01-02T03:04:05.678Z"))).isEqualTo("d77d0000018cc820db2e");
		assertThat(hex(Date.from(Instant.parse("2024-01-02T03:04:05.678Z")))).isEqualTo("d77d0000018cc820db2e");
		assertThat(hex(new BigInteger("18446744073709551616")))
			.isEqualTo("c71578b43138343436373434303733373039353531363136");
		assertThat(hex(Pattern.compile("ab+c", Pattern.CASE_INSENSITIVE))).isEqualTo("c70779a461622b63a169");
		assertThat(hex(Optional.empty())).isEqualTo("c0");
		assertThat(hex(Optional.of("x"))).isEqualTo("a178");
		assertThat(hex(Thread.State.NEW)).isEqualTo("a34e4557");
		assertThat(hex(ByteBuffer.wrap(new byte[] { 1, 2 }))).isEqualTo("c4020102");
		// a decimal string ("0.5"): no digit of a BigDecimal is lost on the way
		assertThat(hex(new BigDecimal("0.5"))).isEqualTo("a3302e35");
		assertThat(hex(UUID.fromString("00000000-0000-0000-0000-000000000001")))
			.isEqualTo("d92430303030303030302d303030302d303030302d303030302d303030303030303030303031");
		assertThat(hex(new StringBuilder("hi"))).isEqualTo("a26869");
	}

	record Point(int x, String label, @Nullable Instant at) {
	}

	public static class Bean {

		private final int count = 2;

		public int getCount() {
			return this.count;
		}

		public List<String> getNames() {
			return List.of("a");
		}

	}

	@Test
	void encodeRecordAndBeanWritePlainObjectsWithNetronValuesInside() {
		assertThat(decode(hex(new Point(1, "p", Instant.EPOCH))))
			.isEqualTo(Map.of("x", 1, "label", "p", "at", Instant.EPOCH));
		assertThat(hex(new Point(1, "p", null))).isEqualTo("83a17801a56c6162656ca170a26174c0");
		assertThat(decode(hex(new Bean()))).isEqualTo(Map.of("count", 2, "names", List.of("a")));
	}

	static class Opaque {

		private int hidden;

	}

	@Test
	void encodeObjectWithoutPropertiesIsRefused() {
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> this.codec.encode(new Opaque()))
			.withMessage("Not supported: " + Opaque.class.getName() + " (no readable properties)");
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> this.codec.encode(new Object()))
			.withMessage("Not supported: java.lang.Object");
	}

	@Test
	void encodeJdkObjectsAndLambdasIsRefusedInsteadOfWalkingTheirGetters() {
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> this.codec.encode(Thread.currentThread()))
			.withMessage("Not supported: java.lang.Thread");
		Runnable lambda = () -> { };
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> this.codec.encode(lambda))
			.withMessageStartingWith("Not supported: ");
	}

	@Test
	void encodeJavaExceptionWritesErrorNamedAfterItsClassWithItsMessageAndStack() {
		Object decoded = decode(hex(new IllegalStateException("broken")));
		assertThat(decoded).isEqualTo(new JsError(JsErrorType.ERROR, "IllegalStateException", "broken",
				"IllegalStateException: broken", Map.of()));
	}

	@Test
	void errorValuesCarryTheStackAThrownErrorCarries() {
		assertThat(JsError.of(JsErrorType.RANGE_ERROR, "too far").stack()).isEqualTo("RangeError: too far");
		assertThat(JsError.named("ValidationError", null).stack()).isEqualTo("ValidationError: ");
		assertThat(((JsError) decode(hex(JsError.of(JsErrorType.ERROR, "x")))).stack()).isEqualTo("Error: x");
	}

	@Test
	void encodeErrorSkipsUndefinedCustomFields() {
		JsError error = JsError.of(JsErrorType.TYPE_ERROR, "m").with("a", Undefined.INSTANCE).with("b", null);
		assertThat(decode(hex(error))).isEqualTo(JsError.of(JsErrorType.TYPE_ERROR, "m").with("b", null));
	}

	@Test
	void encodeCyclicValueFailsInsteadOfOverflowingTheStack() {
		List<Object> cycle = new ArrayList<>();
		cycle.add(cycle);
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> this.codec.encode(cycle))
			.withMessage("Value nested deeper than 512 levels (a cyclic reference?)");
	}

	@Test
	void encodeNestingAtTheLimitSucceeds() {
		Object value = null;
		for (int i = 0; i < ValueCodec.MAX_DEPTH; i++) {
			value = (value == null) ? List.of() : List.of(value);
		}
		assertThat(this.codec.encode(value)).hasSize(ValueCodec.MAX_DEPTH);
		Object deeper = List.of(value);
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> this.codec.encode(deeper));
	}

	@Test
	void encodeDateOutsideJavaScriptRangeFails() {
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> this.codec.encode(Instant.MAX))
			.withMessageContaining("outside the range of a JavaScript Date");
	}

	// ------------------------------------------------------------ decoding bad input

	@Test
	void decodeDeclaredStringLongerThanFrameFailsWithoutAllocating() {
		// str32 declaring 2 GB with one byte of payload
		assertDecodeFailsCheaply("db7fffffff61",
				"Truncated frame: string of 2147483647 bytes at offset 5 needs 2147483647 bytes but 1 remain");
		assertDecodeFailsCheaply("dbffffffff",
				"Truncated frame: string of 4294967295 bytes at offset 5 needs 4294967295 bytes but 0 remain");
	}

	@Test
	void decodeDeclaredCollectionsLargerThanFrameFailWithoutAllocating() {
		assertDecodeFailsCheaply("dd7fffffff01",
				"Truncated frame: array of 2147483647 elements at offset 0 needs at least 2147483647 bytes but 1 remain");
		assertDecodeFailsCheaply("dcffff",
				"Truncated frame: array of 65535 elements at offset 0 needs at least 65535 bytes but 0 remain");
		assertDecodeFailsCheaply("deffff",
				"Truncated frame: map of 65535 entries at offset 0 needs at least 131070 bytes but 0 remain");
		assertDecodeFailsCheaply("c6ffffffff00",
				"Truncated frame: bin32 payload at offset 5 needs 4294967295 bytes but 1 remain");
		assertDecodeFailsCheaply("c9ffffffff7c00",
				"Truncated frame: extension 124 payload at offset 6 needs 4294967295 bytes but 1 remain");
		assertDecodeFailsCheaply("c7047c7fffffff",
				"Truncated frame: Map of 2147483647 entries at offset 0 needs at least 4294967294 bytes but 0 remain");
		assertDecodeFailsCheaply("c7047bffffffff",
				"Truncated frame: Set of 4294967295 items at offset 0 needs at least 4294967295 bytes but 0 remain");
	}

	@Test
	void decodeCollectionWhoseCountFitsExactlySucceeds() {
		assertThat(decode("dc0003010203")).isEqualTo(List.of(1, 2, 3));
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> decode("dc00040102"))
			.withMessage("Truncated frame: array of 4 elements at offset 0 needs at least 4 bytes but 2 remain");
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> decode("dc000201d1ff"))
			.withMessage("Truncated frame: int16 at offset 5 needs 2 bytes but 1 remain");
	}

	@Test
	void decodeExtensionPayloadCannotReadPastItsDeclaredLength() {
		// a Set ext declaring 5 payload bytes whose count says 2 items: the second item lies outside
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> decode("c7057b000000020102"))
			.withMessage("Truncated frame: Set of 2 items at offset 0 needs at least 2 bytes but 1 remain");
	}

	@Test
	void decodeExtensionPayloadWithTrailingBytesSkipsThem() {
		assertThat(decode("92c7067b000000010109ff")).isEqualTo(List.of(Set.of(1), -1));
	}

	@Test
	void decodeUnknownExtensionTypeFails() {
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> decode("9201d40500"))
			.withMessage("Unknown extension type 5 at offset 2");
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> decode("c7007f"))
			.withMessage("Unknown extension type 127 at offset 0");
	}

	@Test
	void decodeNestingBeyondLimitFails() {
		String tenThousand = "91".repeat(10_000) + "c0";
		assertDecodeFailsCheaply(tenThousand, "Value nested deeper than 512 levels at offset 512");
		String objects = "81a161".repeat(10_000) + "c0";
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> decode(objects))
			.withMessage("Value nested deeper than 512 levels at offset 1536");
		String extensions = "c7ff7b00000001".repeat(1_000);
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> decode(extensions))
			.withMessageStartingWith("Truncated frame: extension 123 payload");
	}

	@Test
	void decodeNestingAtTheLimitSucceeds() {
		Object value = decode("91".repeat(ValueCodec.MAX_DEPTH) + "c0");
		int depth = 0;
		while (value instanceof List<?> list) {
			value = list.get(0);
			depth++;
		}
		assertThat(depth).isEqualTo(ValueCodec.MAX_DEPTH);
		assertThatExceptionOfType(ProtocolException.class)
			.isThrownBy(() -> decode("91".repeat(ValueCodec.MAX_DEPTH + 1) + "c0"))
			.withMessage("Value nested deeper than 512 levels at offset 512");
	}

	@Test
	void decodeInvalidExtensionPayloadsFailWithTheirNames() {
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> decode("d47801"))
			.withMessage("BigInt at offset 0 is not a string but Integer");
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> decode("d678a3316132"))
			.withMessage("BigInt '1a2' at offset 0 is not a decimal integer");
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> decode("d46c01"))
			.withMessage("Reference defId at offset 0 is not a string but Integer");
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> decode("c7046ba2313301"))
			.withMessage("Truncated frame: StreamReference isLive at offset 7 needs 1 bytes but 0 remain");
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> decode("c7066ba2782d0100a0"))
			.withMessage("StreamReference streamId 'x-' at offset 3 is not a uint32");
	}

	@Test
	void decodeStreamReferenceIdOutsideUint32Fails() {
		assertThatExceptionOfType(ProtocolException.class)
			.isThrownBy(() -> decode("c70e6baa343239343936373239360000a0"))
			.withMessage("StreamReference streamId '4294967296' at offset 3 is not a uint32");
	}

	@Test
	void decodeBigIntBeyondDigitLimitFails() {
		String digits = "1".repeat(ValueCodec.MAX_BIGINT_DIGITS + 2);
		byte[] payload = this.codec.encode(digits);
		String hex = "c9" + String.format("%08x", payload.length) + "78" + HEX.formatHex(payload);
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> decode(hex))
			.withMessage("BigInt of 10002 characters at offset 0 exceeds the limit of 10000 digits");
		String atLimit = "-" + "9".repeat(ValueCodec.MAX_BIGINT_DIGITS);
		assertThat(this.codec.decode(this.codec.encode(new BigInteger(atLimit)))).isEqualTo(new BigInteger(atLimit));
	}

	@ParameterizedTest
	@ValueSource(strings = { "c1", "df00000000" })
	void decodeRejectedFormatBytesFail(String hex) {
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> decode(hex));
	}

	@Test
	void decodeUint64AboveLongRangeGivesTheJavaScriptNumber() {
		assertThat(decode("cfffffffffffffffff")).isEqualTo(1.8446744073709552E19);
		assertThat(decode("cf7fffffffffffffff")).isEqualTo(Long.MAX_VALUE);
		assertThat(decode("d3ffffffff80000000")).isEqualTo(Integer.MIN_VALUE);
		assertThat(decode("ceffffffff")).isEqualTo(4294967295L);
	}

	@Test
	void decodeObjectWithNonStringKeysUsesJavaScriptPropertyNames() {
		assertThat(decode("8301a161cb3ff8000000000000a162c3a163")).isEqualTo(Map.of("1", "a", "1.5", "b", "true", "c"));
	}

	@Test
	void decodeEmptyInputFails() {
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> this.codec.decode(new byte[0]))
			.withMessage("Truncated frame: value at offset 0 needs 1 bytes but 0 remain");
	}

	/** An array32 of {@code count} empty maps (one byte each). */
	private static byte[] emptyMaps(int count) {
		byte[] frame = new byte[5 + count];
		frame[0] = (byte) 0xdd;
		frame[1] = (byte) (count >>> 24);
		frame[2] = (byte) (count >>> 16);
		frame[3] = (byte) (count >>> 8);
		frame[4] = (byte) count;
		java.util.Arrays.fill(frame, 5, frame.length, (byte) 0x80);
		return frame;
	}

	@Test
	void decodeWhenFrameOfEmptyMapsExceedsItsBudgetThrowsBeforeAllocatingIt() {
		byte[] frame = emptyMaps(16 << 20);
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		long before = threads.getCurrentThreadAllocatedBytes();
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> this.codec.decode(frame))
			.withMessageStartingWith("Frame of 16777221 bytes decodes to more than 403701880 bytes of objects (at offset ")
			.withMessageEndingWith("; a frame may decode to 24 times its size plus 1 MiB)");
		long allocated = threads.getCurrentThreadAllocatedBytes() - before;
		// the estimate bounds what was really allocated (unbounded, the 16 M maps took more than 1.6 GB)
		assertThat(allocated).isLessThan(403_701_880L);
	}

	@Test
	void decodeWhenEmptyMapsFillTheBudgetExactlySucceedsAndOneMoreFails() {
		// cost 40 + 80 k (list, slots, maps) against 1 MiB + 24 x (5 + k) bytes: k = 18726 fits exactly
		assertThat((List<?>) this.codec.decode(emptyMaps(18_726))).hasSize(18_726);
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> this.codec.decode(emptyMaps(18_727)))
			.withMessageStartingWith("Frame of 18732 bytes decodes to more than 1498144 bytes of objects");
	}

	private void assertDecodeFailsCheaply(String hex, String message) {
		byte[] bytes = HEX.parseHex(hex);
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		long before = threads.getCurrentThreadAllocatedBytes();
		assertThatExceptionOfType(ProtocolException.class).isThrownBy(() -> this.codec.decode(bytes)).withMessage(message);
		long allocated = threads.getCurrentThreadAllocatedBytes() - before;
		// the frame's own size plus exception and message overhead, never the declared length
		assertThat(allocated).isLessThan(1_000_000L + bytes.length * 64L);
	}

	// ------------------------------------------------------------ random round trips

	@Test
	void randomNestedValuesRoundTripExactly() {
		RandomValues random = new RandomValues(20251125L);
		for (int i = 0; i < 5_000; i++) {
			Object value = random.value(0);
			byte[] encoded = this.codec.encode(value);
			Object decoded = this.codec.decode(encoded);
			assertThat(RandomValues.deepEquals(decoded, value)).as("value %d: %s", i, value).isTrue();
			assertThat(this.codec.encode(decoded)).as("value %d re-encoded", i).isEqualTo(encoded);
		}
	}

	@Test
	void randomBytesDecodeOrFailWithProtocolExceptionOnly() {
		java.util.Random random = new java.util.Random(7);
		int decoded = 0;
		int rejected = 0;
		for (int i = 0; i < 20_000; i++) {
			byte[] bytes = new byte[random.nextInt(24)];
			random.nextBytes(bytes);
			try {
				this.codec.decode(bytes);
				decoded++;
			}
			catch (ProtocolException expected) {
				assertThat(expected.getMessage()).isNotBlank();
				rejected++;
			}
		}
		// any other exception type would have failed the test; both outcomes must have occurred
		assertThat(decoded).isPositive();
		assertThat(rejected).isPositive();
	}

}
