package io.netron.protocol;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalAmount;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Encodes Java values to the MessagePack dialect of the TypeScript Netron and decodes them back.
 *
 * <p>Decoding yields: {@code null}; {@link Undefined}; {@link Boolean}; {@link Integer} for
 * integers in the int32 range, {@link Long} beyond it (uint64 above 2^63-1: {@link Double});
 * {@link Double} for floats; {@link String}; {@code byte[]}; {@link java.util.ArrayList} for
 * arrays; {@link java.util.LinkedHashMap} with String keys for plain objects; {@link JsMap} for a
 * JavaScript Map; {@link java.util.LinkedHashSet} for a Set; {@link Instant} or
 * {@link InvalidDate} for a Date; {@link JsRegExp}; {@link BigInteger} for a BigInt;
 * {@link JsLong}; {@link JsError}; {@link Definition}; {@link Reference};
 * {@link StreamReference}. Encoding any of these gives back the same JavaScript value.
 *
 * <p>Encoding also accepts: every {@link Number} (as the JavaScript number it denotes, written as
 * the TypeScript encoder writes numbers; a {@code long} beyond +-2^53 becomes a signed
 * {@link JsLong} so that nothing is lost); {@link BigDecimal} as a number; {@code Map} with only
 * String keys as a plain object, any other {@code Map} as a JavaScript Map; any {@code Set} as a
 * Set; other collections and Java arrays as arrays; {@link ByteBuffer} as binary;
 * {@link java.util.Date}, {@link OffsetDateTime} and {@link ZonedDateTime} as a Date; other
 * {@code java.time} values (such as {@code LocalDate}) as their ISO-8601 text; {@link Pattern}
 * as a RegExp; {@link Optional} as its value or
 * {@code null}; enums by name; {@link UUID} and {@link CharSequence} as strings; other
 * throwables as an {@code Error} with their message; records and JavaBeans as plain objects (see
 * {@link ValueConverter#propertiesOf}).
 */
public final class ValueCodec {

	/** Deepest nesting of arrays, objects and extensions accepted in either direction. */
	public static final int MAX_DEPTH = 512;

	/** Longest BigInt accepted, in decimal digits, so that parsing stays fast. */
	public static final int MAX_BIGINT_DIGITS = 10_000;

	/** Largest integer a JavaScript number holds exactly. */
	private static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

	/** Largest epoch millisecond a JavaScript Date holds. */
	private static final long MAX_DATE_MILLIS = 8_640_000_000_000_000L;

	static final int EXT_UNDEFINED = 0;

	static final int EXT_STREAM_REFERENCE = 107;

	static final int EXT_REFERENCE = 108;

	static final int EXT_DEFINITION = 109;

	static final int EXT_LONG = 119;

	/** Titan-generation error (ext 110): thirteen values, see {@link TitanError}. */
	static final int EXT_TITAN_ERROR = 110;

	static final int EXT_BIGINT = 120;

	static final int EXT_REGEXP = 121;

	static final int EXT_SET = 123;

	static final int EXT_MAP = 124;

	static final int EXT_DATE = 125;

	static final int EXT_ERROR = 126;

	private final ValueConverter converter;

	/** A codec with its own {@link ValueConverter}. */
	public ValueCodec() {
		this(new ValueConverter());
	}

	/**
	 * A codec that reads records and JavaBeans through the given converter.
	 * @param converter converts decoded values to declared types
	 */
	public ValueCodec(ValueConverter converter) {
		this.converter = converter;
	}

	/** {@return the converter used for records and JavaBeans} */
	public ValueConverter converter() {
		return this.converter;
	}

	/**
	 * Encodes one value.
	 * @param value the value
	 * @return its MessagePack bytes
	 */
	public byte[] encode(@Nullable Object value) {
		MsgpackWriter writer = new MsgpackWriter(64);
		write(writer, value, 0);
		return writer.toByteArray();
	}

	/**
	 * Decodes exactly one value from the start of {@code bytes}; trailing bytes are ignored.
	 * @param bytes MessagePack bytes
	 * @return the value
	 */
	public @Nullable Object decode(byte[] bytes) {
		return read(new MsgpackReader(bytes, 0, bytes.length), 0);
	}

	// ---------------------------------------------------------------- encoding

	void write(MsgpackWriter out, @Nullable Object value, int depth) {
		if (value == null) {
			out.nil();
		}
		else if (value instanceof String string) {
			out.string(string);
		}
		else if (value instanceof Integer number) {
			out.integer(number);
		}
		else if (value instanceof Boolean bool) {
			out.bool(bool);
		}
		else if (value instanceof Double number) {
			writeNumber(out, number);
		}
		else if (value instanceof Long number) {
			writeLong(out, number, depth);
		}
		else if (value == Undefined.INSTANCE) {
			writeUndefined(out);
		}
		else {
			writeComposite(out, value, checkDepth(depth + 1));
		}
	}

	private static int checkDepth(int depth) {
		if (depth > MAX_DEPTH) {
			throw new ProtocolException("Value nested deeper than " + MAX_DEPTH + " levels (a cyclic reference?)");
		}
		return depth;
	}

	private static void writeUndefined(MsgpackWriter out) {
		out.u8(0xd4);
		out.u8(EXT_UNDEFINED);
		out.u8(0);
	}

	/** A JavaScript number: int32 values in integer forms (negative zero as 0), the rest float64. */
	private static void writeNumber(MsgpackWriter out, double value) {
		int asInt = (int) value;
		if (asInt == value) {
			out.integer(asInt);
		}
		else {
			out.float64(value);
		}
	}

	private void writeLong(MsgpackWriter out, long value, int depth) {
		if (value == (int) value) {
			out.integer((int) value);
		}
		else if (value >= -MAX_SAFE_INTEGER && value <= MAX_SAFE_INTEGER) {
			out.float64(value);
		}
		else {
			writeComposite(out, JsLong.of(value), checkDepth(depth + 1));
		}
	}

	private void writeComposite(MsgpackWriter out, Object value, int depth) {
		if (value instanceof Number number) {
			writeOtherNumber(out, number, depth);
		}
		else if (value instanceof byte[] bytes) {
			out.binary(bytes, 0, bytes.length);
		}
		else if (value instanceof JsMap map) {
			writeJsMap(out, map, depth);
		}
		else if (value instanceof Map<?, ?> map) {
			writeMap(out, map, depth);
		}
		else if (value instanceof Set<?> set) {
			int start = out.beginExt();
			out.u32(set.size());
			writeAll(out, set, set.size(), depth);
			out.endExt(start, EXT_SET);
		}
		else if (value instanceof Collection<?> collection) {
			out.arrayHeader(collection.size());
			writeAll(out, collection, collection.size(), depth);
		}
		else if (value instanceof Object[] array) {
			out.arrayHeader(array.length);
			for (Object item : array) {
				write(out, item, depth);
			}
		}
		else if (value instanceof TitanError error) {
			writeTitanError(out, error, depth);
		}
		else if (value instanceof JsError error) {
			writeError(out, error.type(), error.name(), error.getMessage(), error.stack(), error.customFields(), depth);
		}
		else if (value instanceof Throwable error) {
			// named after its class and with a "Name: message" stack, as a thrown exception travels
			String name = error.getClass().getSimpleName().isEmpty() ? "Error" : error.getClass().getSimpleName();
			String message = (error.getMessage() != null) ? error.getMessage() : "";
			writeError(out, JsErrorType.ERROR, name, message, name + ": " + message, Map.of(), depth);
		}
		else if (value instanceof Instant instant) {
			writeDate(out, instant);
		}
		else if (value instanceof Date date) {
			writeDate(out, date.toInstant());
		}
		else if (value instanceof OffsetDateTime dateTime) {
			writeDate(out, dateTime.toInstant());
		}
		else if (value instanceof ZonedDateTime dateTime) {
			writeDate(out, dateTime.toInstant());
		}
		else if (value instanceof java.time.ZoneId zone) {
			out.string(zone.getId());
		}
				else if (value instanceof TemporalAccessor || value instanceof TemporalAmount) {
			// LocalDate, LocalDateTime, Duration, ...: no instant in time, so their ISO-8601 text
			out.string(value.toString());
		}
		else if (value instanceof InvalidDate date) {
			int start = out.beginExt();
			out.u64(date.rawBits());
			out.endExt(start, EXT_DATE);
		}
		else if (value instanceof CharSequence || value instanceof Character || value instanceof UUID) {
			out.string(value.toString());
		}
		else if (value instanceof Enum<?> constant) {
			out.string(constant.name());
		}
		else if (value instanceof Definition definition) {
			int start = out.beginExt();
			out.string(definition.id());
			out.string(definition.parentId());
			out.string(definition.peerId());
			write(out, definition.meta().toWire(), depth);
			out.endExt(start, EXT_DEFINITION);
		}
		else if (value instanceof Reference reference) {
			int start = out.beginExt();
			out.string(reference.defId());
			out.endExt(start, EXT_REFERENCE);
		}
		else if (value instanceof StreamReference reference) {
			int start = out.beginExt();
			out.string(Long.toString(reference.streamId()));
			out.u8(reference.type() == StreamReference.StreamType.WRITABLE ? 1 : 0);
			out.u8(reference.live() ? 1 : 0);
			out.string(reference.peerId());
			out.endExt(start, EXT_STREAM_REFERENCE);
		}
		else if (value instanceof JsLong number) {
			int start = out.beginExt();
			out.u8(number.unsigned() ? 1 : 0);
			out.u64(number.bits());
			out.endExt(start, EXT_LONG);
		}
		else if (value instanceof JsRegExp regexp) {
			writeRegExp(out, regexp.source(), regexp.flags());
		}
		else if (value instanceof Pattern pattern) {
			writeRegExp(out, pattern.pattern(), regExpFlags(pattern.flags()));
		}
		else if (value instanceof ByteBuffer buffer) {
			ByteBuffer copy = buffer.duplicate();
			byte[] bytes = new byte[copy.remaining()];
			copy.get(bytes);
			out.binary(bytes, 0, bytes.length);
		}
		else if (value instanceof Optional<?> optional) {
			write(out, optional.orElse(null), depth);
		}
		else if (value instanceof OptionalInt optional) {
			write(out, optional.isPresent() ? optional.getAsInt() : null, depth);
		}
		else if (value instanceof OptionalLong optional) {
			write(out, optional.isPresent() ? optional.getAsLong() : null, depth);
		}
		else if (value instanceof OptionalDouble optional) {
			write(out, optional.isPresent() ? optional.getAsDouble() : null, depth);
		}
		else if (value.getClass().isArray()) {
			int length = Array.getLength(value);
			out.arrayHeader(length);
			for (int i = 0; i < length; i++) {
				write(out, Array.get(value, i), depth);
			}
		}
		else {
			write(out, this.converter.plainFormOf(value), depth - 1);
		}
	}

	private void writeOtherNumber(MsgpackWriter out, Number number, int depth) {
		if (number instanceof Short || number instanceof Byte) {
			out.integer(number.intValue());
		}
		else if (number instanceof Float) {
			writeNumber(out, number.doubleValue());
		}
		else if (number instanceof BigInteger big) {
			String digits = big.toString();
			int start = out.beginExt();
			out.string(digits);
			out.endExt(start, EXT_BIGINT);
		}
		else if (number instanceof AtomicInteger || number instanceof AtomicLong
				|| number instanceof java.util.concurrent.atomic.LongAdder) {
			writeLong(out, number.longValue(), depth);
		}
		else if (number instanceof java.math.BigDecimal decimal) {
			// a decimal string, so that every digit reaches the other side (a Java node converts it
			// back to the very same BigDecimal; JavaScript's Number(text) reads it as a number)
			out.string(decimal.toString());
		}
		else {
			// other numbers: the JavaScript number closest to the value
			writeNumber(out, number.doubleValue());
		}
	}

	private void writeAll(MsgpackWriter out, Collection<?> items, int size, int depth) {
		int written = 0;
		for (Object item : items) {
			if (++written > size) {
				break;
			}
			write(out, item, depth);
		}
		if (written != size) {
			throw new ProtocolException("Collection changed size while being encoded");
		}
	}

	private void writeMap(MsgpackWriter out, Map<?, ?> map, int depth) {
		for (Object key : map.keySet()) {
			if (!(key instanceof String)) {
				writeJsMap(out, map, depth);
				return;
			}
		}
		out.mapHeader(map.size());
		int written = 0;
		for (Map.Entry<?, ?> entry : map.entrySet()) {
			if (++written > map.size()) {
				throw new ProtocolException("Map changed size while being encoded");
			}
			out.string((String) entry.getKey());
			write(out, entry.getValue(), depth);
		}
	}

	private void writeJsMap(MsgpackWriter out, Map<?, ?> map, int depth) {
		int start = out.beginExt();
		out.u32(map.size());
		int written = 0;
		for (Map.Entry<?, ?> entry : map.entrySet()) {
			if (++written > map.size()) {
				throw new ProtocolException("Map changed size while being encoded");
			}
			write(out, entry.getKey(), depth);
			write(out, entry.getValue(), depth);
		}
		out.endExt(start, EXT_MAP);
	}

	/** Milliseconds as a uint64; dates before 1970 go out in two's complement as TypeScript writes them. */
	private static void writeDate(MsgpackWriter out, Instant instant) {
		long millis;
		try {
			millis = instant.toEpochMilli();
		}
		catch (ArithmeticException ex) {
			throw new ProtocolException("Date " + instant + " is outside the range of a JavaScript Date");
		}
		out.u8(0xd7);
		out.u8(EXT_DATE);
		out.u64(millis);
	}

	private static void writeRegExp(MsgpackWriter out, String source, String flags) {
		int start = out.beginExt();
		out.string(source);
		out.string(flags);
		out.endExt(start, EXT_REGEXP);
	}

	private static String regExpFlags(int flags) {
		StringBuilder js = new StringBuilder();
		if ((flags & Pattern.CASE_INSENSITIVE) != 0) {
			js.append('i');
		}
		if ((flags & Pattern.MULTILINE) != 0) {
			js.append('m');
		}
		if ((flags & Pattern.DOTALL) != 0) {
			js.append('s');
		}
		return js.toString();
	}

	private void writeError(MsgpackWriter out, JsErrorType type, String name, String message, @Nullable String stack,
			Map<String, @Nullable Object> customFields, int depth) {
		int start = out.beginExt();
		out.u16(type.id());
		out.string(name);
		if (stack != null) {
			out.string(stack);
		}
		else {
			writeUndefined(out);
		}
		out.string(message);
		int count = 0;
		for (Object fieldValue : customFields.values()) {
			if (fieldValue != Undefined.INSTANCE) {
				count++;
			}
		}
		if (count > 0xFFFF) {
			throw new ProtocolException("Error with " + count + " custom fields exceeds the limit of 65535");
		}
		out.u16(count);
		for (Map.Entry<String, @Nullable Object> field : customFields.entrySet()) {
			if (field.getValue() != Undefined.INSTANCE) {
				out.string(field.getKey());
				write(out, field.getValue(), depth);
			}
		}
		out.endExt(start, EXT_ERROR);
	}

	private void writeTitanError(MsgpackWriter out, TitanError error, int depth) {
		int start = out.beginExt();
		out.string(error.name());
		out.integer(error.code());
		out.string(error.getMessage());
		write(out, error.details(), depth);
		write(out, error.context(), depth);
		write(out, error.timestamp(), depth);
		write(out, error.requestId(), depth);
		write(out, error.correlationId(), depth);
		write(out, error.spanId(), depth);
		write(out, error.traceId(), depth);
		write(out, error.rawStack(), depth);
		write(out, error.titanCause(), depth);
		write(out, error.extras(), depth);
		out.endExt(start, EXT_TITAN_ERROR);
	}

	// ---------------------------------------------------------------- decoding

	@Nullable Object read(MsgpackReader in, int depth) {
		int offset = in.offset();
		int format = in.u8("value");
		if (format <= 0x7f) {
			return format;
		}
		if (format >= 0xe0) {
			return (int) (byte) format;
		}
		if (format <= 0x8f) {
			return readObject(in, format & 0x0f, offset, depth);
		}
		if (format <= 0x9f) {
			return readArray(in, format & 0x0f, offset, depth);
		}
		if (format <= 0xbf) {
			return in.utf8(format & 0x1f);
		}
		return switch (format) {
			case 0xc0 -> null;
			case 0xc2 -> Boolean.FALSE;
			case 0xc3 -> Boolean.TRUE;
			case 0xc4 -> in.bytes(in.u8("bin8 length"), "bin8 payload");
			case 0xc5 -> in.bytes(in.u16("bin16 length"), "bin16 payload");
			case 0xc6 -> in.bytes(in.u32("bin32 length"), "bin32 payload");
			case 0xc7 -> readExt(in, in.u8("ext8 length"), offset, depth);
			case 0xc8 -> readExt(in, in.u16("ext16 length"), offset, depth);
			case 0xc9 -> readExt(in, in.u32("ext32 length"), offset, depth);
			case 0xca -> (double) Float.intBitsToFloat(in.i32("float32"));
			case 0xcb -> Double.longBitsToDouble(in.i64("float64"));
			case 0xcc -> in.u8("uint8");
			case 0xcd -> in.u16("uint16");
			case 0xce -> integer(in.u32("uint32"));
			case 0xcf -> unsigned64(in.i64("uint64"));
			case 0xd0 -> (int) (byte) in.u8("int8");
			case 0xd1 -> (int) (short) in.u16("int16");
			case 0xd2 -> in.i32("int32");
			case 0xd3 -> integer(in.i64("int64"));
			case 0xd4 -> readExt(in, 1, offset, depth);
			case 0xd5 -> readExt(in, 2, offset, depth);
			case 0xd6 -> readExt(in, 4, offset, depth);
			case 0xd7 -> readExt(in, 8, offset, depth);
			case 0xd8 -> readExt(in, 16, offset, depth);
			case 0xd9 -> in.utf8(in.u8("str8 length"));
			case 0xda -> in.utf8(in.u16("str16 length"));
			case 0xdb -> in.utf8(in.u32("str32 length"));
			case 0xdc -> readArray(in, in.u16("array16 length"), offset, depth);
			case 0xdd -> readArray(in, in.u32("array32 length"), offset, depth);
			case 0xde -> readObject(in, in.u16("map16 length"), offset, depth);
			case 0xdf -> throw new ProtocolException(
					"map32 (0xdf) at offset " + offset + " is not accepted: map too big to decode in JS");
			default -> throw new ProtocolException(
					"Reserved format byte 0x" + Integer.toHexString(format) + " at offset " + offset);
		};
	}

	private static Object integer(long value) {
		return (value == (int) value) ? (Object) (int) value : (Object) value;
	}

	private static Object unsigned64(long bits) {
		if (bits >= 0) {
			return integer(bits);
		}
		// above Long.MAX_VALUE: the JavaScript number, as the TypeScript decoder gives it
		return new BigInteger(Long.toUnsignedString(bits)).doubleValue();
	}

	/** Estimated heap of an {@code ArrayList} and its array header, charged to the frame's budget. */
	private static final int ARRAY_COST = 40;

	/** Estimated heap of one element slot. */
	private static final int ELEMENT_COST = 8;

	/** Estimated heap of a {@code LinkedHashMap} with its table header. */
	private static final int MAP_COST = 72;

	/** Estimated heap of one map entry with its table slot. */
	private static final int ENTRY_COST = 48;

	/** Estimated heap of an extension value's own object (a Set, a Date, an Error...). */
	private static final int EXT_COST = 64;

	private static int nested(int depth, int offset) {
		if (depth >= MAX_DEPTH) {
			throw new ProtocolException("Value nested deeper than " + MAX_DEPTH + " levels at offset " + offset);
		}
		return depth + 1;
	}

	private java.util.List<@Nullable Object> readArray(MsgpackReader in, long size, int offset, int depth) {
		int inner = nested(depth, offset);
		if (!in.fits(size)) {
			in.needAtLeast(size, "array of " + size + " elements", offset);
		}
		in.charge(ARRAY_COST + ELEMENT_COST * size, offset);
		java.util.List<@Nullable Object> items = new java.util.ArrayList<>((int) size);
		for (long i = 0; i < size; i++) {
			items.add(read(in, inner));
		}
		return items;
	}

	private Map<String, @Nullable Object> readObject(MsgpackReader in, long size, int offset, int depth) {
		int inner = nested(depth, offset);
		if (!in.fits(size * 2)) {
			in.needAtLeast(size * 2, "map of " + size + " entries", offset);
		}
		in.charge(MAP_COST + ENTRY_COST * size, offset);
		Map<String, @Nullable Object> object = new java.util.LinkedHashMap<>(capacity(size));
		for (long i = 0; i < size; i++) {
			String key = propertyKey(read(in, inner));
			object.put(key, read(in, inner));
		}
		return object;
	}

	private static int capacity(long size) {
		return (int) Math.min(1 << 20, size * 4 / 3 + 1);
	}

	/** The property name JavaScript makes of a key: {@code String(key)}. */
	private static String propertyKey(@Nullable Object key) {
		if (key instanceof String string) {
			return string;
		}
		if (key instanceof Double number) {
			return JsNumbers.toString(number);
		}
		return String.valueOf(key);
	}

	private @Nullable Object readExt(MsgpackReader in, long length, int offset, int depth) {
		int type = in.u8("extension type");
		if (!in.fits(length)) {
			in.need(length, "extension " + type + " payload");
		}
		int inner = nested(depth, offset);
		if (type != EXT_UNDEFINED) {
			in.charge(EXT_COST, offset);
		}
		int outerLimit = in.beginSection((int) length);
		Object value = switch (type) {
			case EXT_UNDEFINED -> Undefined.INSTANCE;
			case EXT_STREAM_REFERENCE -> readStreamReference(in, inner);
			case EXT_REFERENCE -> new Reference(text(read(in, inner), "Reference defId", offset));
			case EXT_DEFINITION -> readDefinition(in, inner, offset);
			case EXT_LONG -> {
				boolean unsigned = in.u8("Long unsigned flag") != 0;
				yield new JsLong(in.i64("Long value"), unsigned);
			}
			case EXT_BIGINT -> readBigInt(in, inner, offset);
			case EXT_REGEXP -> new JsRegExp(text(read(in, inner), "RegExp source", offset),
					text(read(in, inner), "RegExp flags", offset));
			case EXT_SET -> readSet(in, inner, offset);
			case EXT_MAP -> readJsMap(in, inner, offset);
			case EXT_DATE -> {
				long millis = in.i64("Date milliseconds");
				yield (millis >= 0 && millis <= MAX_DATE_MILLIS) ? Instant.ofEpochMilli(millis) : new InvalidDate(millis);
			}
			case EXT_ERROR -> readError(in, inner, offset);
			case EXT_TITAN_ERROR -> readTitanError(in, inner, offset);
			default -> throw new ProtocolException("Unknown extension type " + type + " at offset " + offset);
		};
		in.endSection(outerLimit);
		return value;
	}

	private static String text(@Nullable Object value, String what, int offset) {
		if (value instanceof String string) {
			return string;
		}
		throw new ProtocolException(what + " at offset " + offset + " is not a string but "
				+ ((value != null) ? value.getClass().getSimpleName() : "null"));
	}

	private StreamReference readStreamReference(MsgpackReader in, int depth) {
		int offset = in.offset();
		String id = text(read(in, depth), "StreamReference streamId", offset);
		long streamId;
		try {
			streamId = Long.parseLong(id);
		}
		catch (NumberFormatException ex) {
			streamId = -1;
		}
		if (streamId < 0 || streamId > 0xFFFF_FFFFL) {
			throw new ProtocolException("StreamReference streamId '" + abbreviate(id) + "' at offset " + offset
					+ " is not a uint32");
		}
		StreamReference.StreamType type = (in.u8("StreamReference type") == 1) ? StreamReference.StreamType.WRITABLE
				: StreamReference.StreamType.READABLE;
		boolean live = in.u8("StreamReference isLive") == 1;
		String peerId = text(read(in, depth), "StreamReference peerId", offset);
		return new StreamReference(streamId, type, live, peerId);
	}

	private Definition readDefinition(MsgpackReader in, int depth, int offset) {
		String id = text(read(in, depth), "Definition id", offset);
		Object parent = read(in, depth);
		String parentId = (parent == null || parent == Undefined.INSTANCE) ? "" : text(parent, "Definition parentId", offset);
		String peerId = text(read(in, depth), "Definition peerId", offset);
		ServiceMetadata meta = ServiceMetadata.fromWire(read(in, depth));
		return new Definition(id, parentId, peerId, meta);
	}

	private BigInteger readBigInt(MsgpackReader in, int depth, int offset) {
		String digits = text(read(in, depth), "BigInt", offset);
		if (digits.length() > MAX_BIGINT_DIGITS + 1) {
			throw new ProtocolException("BigInt of " + digits.length() + " characters at offset " + offset
					+ " exceeds the limit of " + MAX_BIGINT_DIGITS + " digits");
		}
		try {
			return new BigInteger(digits);
		}
		catch (NumberFormatException ex) {
			throw new ProtocolException("BigInt '" + abbreviate(digits) + "' at offset " + offset + " is not a decimal integer");
		}
	}

	private Set<@Nullable Object> readSet(MsgpackReader in, int depth, int offset) {
		long size = in.u32("Set size");
		if (!in.fits(size)) {
			in.needAtLeast(size, "Set of " + size + " items", offset);
		}
		Set<@Nullable Object> set = new java.util.LinkedHashSet<>(capacity(size));
		for (long i = 0; i < size; i++) {
			set.add(read(in, depth));
		}
		return set;
	}

	private JsMap readJsMap(MsgpackReader in, int depth, int offset) {
		long size = in.u32("Map size");
		if (!in.fits(size * 2)) {
			in.needAtLeast(size * 2, "Map of " + size + " entries", offset);
		}
		JsMap map = new JsMap((int) size);
		for (long i = 0; i < size; i++) {
			Object key = read(in, depth);
			map.put(key, read(in, depth));
		}
		return map;
	}

	private JsError readError(MsgpackReader in, int depth, int offset) {
		JsErrorType type = JsErrorType.fromId(in.u16("Error standard id"));
		Object name = read(in, depth);
		Object stack = read(in, depth);
		Object message = read(in, depth);
		int count = in.u16("Error custom field count");
		if (!in.fits(count * 2L)) {
			in.needAtLeast(count * 2L, "Error with " + count + " custom fields", offset);
		}
		Map<String, @Nullable Object> fields = new java.util.LinkedHashMap<>(capacity(count));
		for (int i = 0; i < count; i++) {
			String key = propertyKey(read(in, depth));
			fields.put(key, read(in, depth));
		}
		return new JsError(type, (name instanceof String s) ? s : type.jsName(),
				(message instanceof String s) ? s : (message == null || message == Undefined.INSTANCE) ? "" : String.valueOf(message),
				(stack instanceof String s) ? s : null, fields);
	}

	private TitanError readTitanError(MsgpackReader in, int depth, int offset) {
		String name = text(read(in, depth), "TitanError name", offset);
		Object code = read(in, depth);
		if (!(code instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())
				|| Math.abs(number.doubleValue()) > Integer.MAX_VALUE) {
			throw new ProtocolException("TitanError code at offset " + offset + " is not an integer but "
					+ ((code != null) ? code.getClass().getSimpleName() + " " + code : "null"));
		}
		Object message = read(in, depth);
		Map<String, @Nullable Object> details = titanObject(read(in, depth), "TitanError details", offset);
		Map<String, @Nullable Object> context = titanObject(read(in, depth), "TitanError context", offset);
		Object timestamp = read(in, depth);
		Object requestId = read(in, depth);
		Object correlationId = read(in, depth);
		Object spanId = read(in, depth);
		Object traceId = read(in, depth);
		Object stack = read(in, depth);
		Object cause = read(in, depth);
		Object extras = read(in, depth);
		return new TitanError(name, number.intValue(),
				(message instanceof String text) ? text : (message == null || message == Undefined.INSTANCE) ? "" : String.valueOf(message),
				details, context, timestamp, requestId, correlationId, spanId, traceId, stack, cause, extras);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, @Nullable Object> titanObject(@Nullable Object value, String what, int offset) {
		if (value == null || value == Undefined.INSTANCE) {
			return Map.of();
		}
		if (value instanceof Map<?, ?> map && !(value instanceof JsMap)) {
			return (Map<String, @Nullable Object>) map;
		}
		throw new ProtocolException(what + " at offset " + offset + " is not an object but " + value.getClass().getSimpleName());
	}

	private static String abbreviate(String text) {
		return (text.length() <= 40) ? text : text.substring(0, 40) + "...";
	}

}
