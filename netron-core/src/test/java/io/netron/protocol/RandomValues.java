package io.netron.protocol;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Seeded generator of nested values in the decoded value model (the Java types decoding
 * produces), so that every generated value must survive encode and decode unchanged.
 */
final class RandomValues {

	private static final String ALPHABET = "abcXYZ019 _-\u00e9\u00df\u4e2d\u6587\ud83d\ude00\u0000";

	private final Random random;

	RandomValues(long seed) {
		this.random = new Random(seed);
	}

	@Nullable Object value(int depth) {
		int kind = this.random.nextInt((depth > 4) ? 12 : 20);
		return switch (kind) {
			case 0 -> null;
			case 1 -> Undefined.INSTANCE;
			case 2 -> this.random.nextBoolean();
			case 3 -> this.random.nextInt(1 << (1 + this.random.nextInt(30))) * (this.random.nextBoolean() ? 1 : -1);
			case 4 -> number();
			case 5 -> string();
			case 6 -> bytes();
			case 7 -> Instant.ofEpochMilli(Math.abs(this.random.nextLong() % 8_640_000_000_000_000L));
			case 8 -> new BigInteger(1 + this.random.nextInt(200), this.random).negate();
			case 9 -> new JsLong(this.random.nextLong(), this.random.nextBoolean());
			case 10 -> new JsRegExp(string(), "gimsuy".substring(this.random.nextInt(6)));
			case 11 -> new StreamReference(this.random.nextLong() & 0xFFFF_FFFFL,
					this.random.nextBoolean() ? StreamReference.StreamType.WRITABLE : StreamReference.StreamType.READABLE,
					this.random.nextBoolean(), string());
			case 12 -> list(depth);
			case 13 -> object(depth);
			case 14 -> jsMap(depth);
			case 15 -> set(depth);
			case 16 -> error(depth);
			case 17 -> new Reference(string());
			case 18 -> new InvalidDate(-1 - this.random.nextInt(1_000_000));
			default -> list(depth);
		};
	}

	/** A JavaScript number that decodes back as a Double: non-integral, or outside int32. */
	private double number() {
		return switch (this.random.nextInt(5)) {
			case 0 -> this.random.nextDouble() * 1e6 - 5e5 + 0.5;
			case 1 -> (double) ((1L << 31) + this.random.nextInt(1 << 30));
			case 2 -> Double.NaN;
			case 3 -> Double.longBitsToDouble(this.random.nextLong() & 0x7fefffffffffffffL) * (this.random.nextBoolean() ? 1 : -1) + 0.5;
			default -> -1e300 * this.random.nextDouble() - 1e10;
		};
	}

	private String string() {
		int length = (this.random.nextInt(10) == 0) ? this.random.nextInt(300) : this.random.nextInt(12);
		StringBuilder text = new StringBuilder();
		while (text.length() < length) {
			int at = this.random.nextInt(ALPHABET.length());
			char c = ALPHABET.charAt(at);
			if (Character.isHighSurrogate(c)) {
				text.append(c).append(ALPHABET.charAt(at + 1));
			}
			else if (!Character.isLowSurrogate(c)) {
				text.append(c);
			}
		}
		return text.toString();
	}

	private byte[] bytes() {
		byte[] bytes = new byte[(this.random.nextInt(10) == 0) ? 300 : this.random.nextInt(8)];
		this.random.nextBytes(bytes);
		return bytes;
	}

	private List<@Nullable Object> list(int depth) {
		int size = (this.random.nextInt(20) == 0) ? 20 : this.random.nextInt(5);
		List<@Nullable Object> list = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			list.add(value(depth + 1));
		}
		return list;
	}

	private Map<String, @Nullable Object> object(int depth) {
		int size = (this.random.nextInt(20) == 0) ? 17 : this.random.nextInt(5);
		Map<String, @Nullable Object> object = new LinkedHashMap<>();
		for (int i = 0; i < size; i++) {
			object.put(string() + i, value(depth + 1));
		}
		return object;
	}

	private JsMap jsMap(int depth) {
		JsMap map = new JsMap();
		int size = this.random.nextInt(4);
		for (int i = 0; i < size; i++) {
			Object key = switch (this.random.nextInt(3)) {
				case 0 -> string() + i;
				case 1 -> i * 1000;
				default -> null;
			};
			map.put(key, value(depth + 1));
		}
		return map;
	}

	private Set<@Nullable Object> set(int depth) {
		Set<@Nullable Object> set = new LinkedHashSet<>();
		int size = this.random.nextInt(4);
		for (int i = 0; i < size; i++) {
			set.add((this.random.nextBoolean()) ? string() + i : i);
		}
		return set;
	}

	private JsError error(int depth) {
		JsErrorType type = JsErrorType.values()[this.random.nextInt(JsErrorType.values().length)];
		JsError error = new JsError(type, this.random.nextBoolean() ? type.jsName() : "Custom" + string(), string(),
				this.random.nextBoolean() ? string() : null, Map.of());
		int fields = this.random.nextInt(3);
		for (int i = 0; i < fields; i++) {
			Object field = value(depth + 1);
			error = error.with("f" + i, (field == Undefined.INSTANCE) ? null : field);
		}
		return error;
	}

	/** Structural equality that compares binary by content and keeps order everywhere. */
	static boolean deepEquals(@Nullable Object a, @Nullable Object b) {
		if (a instanceof byte[] x && b instanceof byte[] y) {
			return Arrays.equals(x, y);
		}
		if (a instanceof Double x && b instanceof Double y) {
			return x.equals(y);
		}
		if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
			return (x instanceof JsMap) == (y instanceof JsMap) && x.size() == y.size()
					&& sameSequence(x.entrySet().iterator(), y.entrySet().iterator());
		}
		if (a instanceof Map.Entry<?, ?> x && b instanceof Map.Entry<?, ?> y) {
			return deepEquals(x.getKey(), y.getKey()) && deepEquals(x.getValue(), y.getValue());
		}
		if (a instanceof Set<?> x && b instanceof Set<?> y) {
			return x.size() == y.size() && sameSequence(x.iterator(), y.iterator());
		}
		if (a instanceof List<?> x && b instanceof List<?> y) {
			return x.size() == y.size() && sameSequence(x.iterator(), y.iterator());
		}
		if (a instanceof JsError x && b instanceof JsError y) {
			return x.type() == y.type() && x.name().equals(y.name()) && x.getMessage().equals(y.getMessage())
					&& Objects.equals(x.stack(), y.stack()) && deepEquals(x.customFields(), y.customFields());
		}
		return (a == null || b == null) ? a == b : a.getClass() == b.getClass() && a.equals(b);
	}

	private static boolean sameSequence(Iterator<?> a, Iterator<?> b) {
		while (a.hasNext() && b.hasNext()) {
			if (!deepEquals(a.next(), b.next())) {
				return false;
			}
		}
		return !a.hasNext() && !b.hasNext();
	}

}
