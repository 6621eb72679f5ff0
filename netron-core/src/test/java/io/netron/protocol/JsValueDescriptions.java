package io.netron.protocol;

import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/**
 * Checks a decoded Java value against a description from the wire vectors (see the vectors'
 * README, "Decoded description format"), collecting every mismatch with its path.
 */
final class JsValueDescriptions {

	private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
		.withZone(ZoneOffset.UTC);

	private final List<String> mismatches = new ArrayList<>();

	private JsValueDescriptions() {
	}

	/** The mismatches between {@code actual} and {@code description}; empty when it matches. */
	static List<String> mismatches(@Nullable Object actual, JsonNode description) {
		JsValueDescriptions check = new JsValueDescriptions();
		check.match(actual, description, "$");
		return check.mismatches;
	}

	private void fail(String path, String message) {
		this.mismatches.add(path + ": " + message);
	}

	private boolean expectType(@Nullable Object actual, Class<?> type, String path, String tag) {
		if (!type.isInstance(actual)) {
			fail(path, "expected " + tag + " as " + type.getSimpleName() + " but got "
					+ ((actual != null) ? actual.getClass().getName() + " " + actual : "null"));
			return false;
		}
		return true;
	}

	private void expectEqual(@Nullable Object actual, @Nullable Object expected, String path) {
		if (expected == null ? actual != null : !expected.equals(actual)) {
			fail(path, "expected " + expected + " but got " + actual);
		}
	}

	private void match(@Nullable Object actual, JsonNode description, String path) {
		String tag = description.get("type").asText();
		switch (tag) {
			case "null" -> expectEqual(actual, null, path);
			case "undefined" -> expectEqual(actual, Undefined.INSTANCE, path);
			case "bool" -> expectEqual(actual, description.get("value").asBoolean(), path);
			case "int", "float" -> matchNumber(actual, description, path, tag);
			case "string" -> matchString(actual, description, path);
			case "binary" -> {
				if (expectType(actual, byte[].class, path, tag)) {
					byte[] bytes = (byte[]) actual;
					expectEqual(bytes.length, description.get("length").asInt(), path + ".length");
					String hex = HexFormat.of().formatHex(bytes);
					if (description.has("hex")) {
						expectEqual(hex, description.get("hex").asText(), path + ".hex");
					}
					else if (!hex.startsWith(description.get("hexPrefix").asText())) {
						fail(path, "binary does not start with " + description.get("hexPrefix").asText());
					}
				}
			}
			case "array" -> {
				if (expectType(actual, List.class, path, tag)) {
					matchItems((List<?>) actual, description, path);
				}
			}
			case "set" -> {
				if (expectType(actual, Set.class, path, tag)) {
					matchItems(new ArrayList<>((Set<?>) actual), description, path);
				}
			}
			case "object" -> {
				if (actual instanceof JsMap) {
					fail(path, "expected a plain object but got a JsMap");
				}
				else if (expectType(actual, Map.class, path, tag)) {
					matchEntries((Map<?, ?>) actual, description, path, false);
				}
			}
			case "map" -> {
				if (expectType(actual, JsMap.class, path, tag)) {
					matchEntries((Map<?, ?>) actual, description, path, true);
				}
			}
			case "date" -> matchDate(actual, description, path);
			case "regexp" -> {
				if (expectType(actual, JsRegExp.class, path, tag)) {
					JsRegExp regexp = (JsRegExp) actual;
					expectEqual(regexp.source(), description.get("source").asText(), path + ".source");
					expectEqual(regexp.flags(), description.get("flags").asText(), path + ".flags");
				}
			}
			case "bigint" -> {
				if (expectType(actual, BigInteger.class, path, tag)) {
					expectEqual(actual.toString(), description.get("value").asText(), path);
				}
			}
			case "long" -> {
				if (expectType(actual, JsLong.class, path, tag)) {
					JsLong number = (JsLong) actual;
					expectEqual(number.unsigned(), description.get("unsigned").asBoolean(), path + ".unsigned");
					expectEqual(number.toString(), description.get("value").asText(), path + ".value");
					expectEqual(number.high(), description.get("high").asInt(), path + ".high");
					expectEqual(number.low(), description.get("low").asInt(), path + ".low");
				}
			}
			case "error" -> matchError(actual, description, path);
			case "titanError" -> matchTitanError(actual, description, path);
			case "definition" -> {
				if (expectType(actual, Definition.class, path, tag)) {
					Definition definition = (Definition) actual;
					expectEqual(definition.id(), description.get("id").asText(), path + ".id");
					expectEqual(definition.parentId(), description.get("parentId").asText(), path + ".parentId");
					expectEqual(definition.peerId(), description.get("peerId").asText(), path + ".peerId");
					match(definition.meta().toWire(), description.get("meta"), path + ".meta");
				}
			}
			case "reference" -> {
				if (expectType(actual, Reference.class, path, tag)) {
					expectEqual(((Reference) actual).defId(), description.get("defId").asText(), path + ".defId");
				}
			}
			case "streamReference" -> {
				if (expectType(actual, StreamReference.class, path, tag)) {
					StreamReference reference = (StreamReference) actual;
					expectEqual(reference.streamId(), description.get("streamId").asLong(), path + ".streamId");
					expectEqual(reference.type().name().toLowerCase(), description.get("streamType").asText(),
							path + ".streamType");
					expectEqual(reference.live(), description.get("isLive").asBoolean(), path + ".isLive");
					expectEqual(reference.peerId(), description.get("peerId").asText(), path + ".peerId");
				}
			}
			default -> fail(path, "unknown description tag " + tag);
		}
	}

	private void matchNumber(@Nullable Object actual, JsonNode description, String path, String tag) {
		if (!expectType(actual, Number.class, path, tag)) {
			return;
		}
		if (actual instanceof BigInteger) {
			fail(path, "a BigInt is not a JavaScript number");
			return;
		}
		Number number = (Number) actual;
		double value = number.doubleValue();
		boolean integral = !Double.isNaN(value) && !Double.isInfinite(value) && value == Math.rint(value);
		expectEqual(integral ? "int" : "float", tag, path + ".type");
		JsonNode expected = description.get("value");
		if (expected.isTextual()) {
			expectEqual(Double.toString(value), Double.toString(Double.parseDouble(expected.asText())), path);
		}
		else if ("float64".equals(description.path("wire").asText()) && !(actual instanceof Double)) {
			fail(path, "expected a value read from a float64 as Double but got " + actual.getClass().getName());
		}
		else if (expected.isIntegralNumber() && !(actual instanceof Double)) {
			expectEqual(number.longValue(), expected.asLong(), path);
		}
		else {
			expectEqual(value, expected.asDouble(), path);
		}
	}

	private void matchString(@Nullable Object actual, JsonNode description, String path) {
		if (!expectType(actual, String.class, path, "string")) {
			return;
		}
		String text = (String) actual;
		if (description.has("value")) {
			expectEqual(text, description.get("value").asText(), path);
			return;
		}
		expectEqual(text.length(), description.get("length").asInt(), path + ".length");
		expectEqual(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, description.get("utf8Bytes").asInt(),
				path + ".utf8Bytes");
		if (!text.startsWith(description.get("prefix").asText())) {
			fail(path, "string does not start with " + description.get("prefix").asText());
		}
	}

	private void matchItems(List<?> items, JsonNode description, String path) {
		JsonNode expected = description.get("items");
		if (description.path("truncated").asBoolean()) {
			expectEqual(items.size(), description.get("length").asInt(), path + ".length");
		}
		else {
			expectEqual(items.size(), expected.size(), path + ".length");
		}
		for (int i = 0; i < Math.min(items.size(), expected.size()); i++) {
			match(items.get(i), expected.get(i), path + "[" + i + "]");
		}
	}

	private void matchEntries(Map<?, ?> map, JsonNode description, String path, boolean describedKeys) {
		JsonNode entries = description.get("entries");
		expectEqual(map.size(), entries.size(), path + ".size");
		Iterator<? extends Map.Entry<?, ?>> actual = map.entrySet().iterator();
		for (int i = 0; i < entries.size() && actual.hasNext(); i++) {
			Map.Entry<?, ?> entry = actual.next();
			JsonNode expected = entries.get(i);
			String entryPath = path + "{" + i + "}";
			if (describedKeys) {
				match(entry.getKey(), expected.get("key"), entryPath + ".key");
			}
			else {
				expectEqual(entry.getKey(), expected.get("key").asText(), entryPath + ".key");
			}
			match(entry.getValue(), expected.get("value"), path + "." + entry.getKey());
		}
	}

	private void matchDate(@Nullable Object actual, JsonNode description, String path) {
		if (description.get("epochMillis").isNull()) {
			expectType(actual, InvalidDate.class, path, "invalid date");
			return;
		}
		if (expectType(actual, Instant.class, path, "date")) {
			Instant instant = (Instant) actual;
			expectEqual(instant.toEpochMilli(), description.get("epochMillis").asLong(), path + ".epochMillis");
			expectEqual(ISO.format(instant), description.get("iso").asText(), path + ".iso");
		}
	}

	private void matchTitanError(@Nullable Object actual, JsonNode description, String path) {
		if (!expectType(actual, TitanError.class, path, "titanError")) {
			return;
		}
		TitanError error = (TitanError) actual;
		expectEqual(error.name(), description.get("name").asText(), path + ".name");
		expectEqual(error.code(), description.get("code").asInt(), path + ".code");
		expectEqual(error.getMessage(), description.get("message").asText(), path + ".message");
		match(error.details(), description.get("details"), path + ".details");
		match(error.context(), description.get("context"), path + ".context");
		match(error.timestamp(), description.get("timestamp"), path + ".timestamp");
		match(error.requestId(), description.get("requestId"), path + ".requestId");
		match(error.correlationId(), description.get("correlationId"), path + ".correlationId");
		match(error.spanId(), description.get("spanId"), path + ".spanId");
		match(error.traceId(), description.get("traceId"), path + ".traceId");
		match(error.rawStack(), description.get("stack"), path + ".stack");
		match(error.titanCause(), description.get("cause"), path + ".cause");
		match(error.extras(), description.get("extras"), path + ".extras");
	}

	private void matchError(@Nullable Object actual, JsonNode description, String path) {
		if (!expectType(actual, JsError.class, path, "error")) {
			return;
		}
		JsError error = (JsError) actual;
		expectEqual(error.type().jsName(), description.get("class").asText(), path + ".class");
		expectEqual(error.type().id(), description.get("stdId").asInt(), path + ".stdId");
		expectEqual(error.name(), description.get("name").asText(), path + ".name");
		expectEqual(error.getMessage(), description.get("message").asText(), path + ".message");
		JsonNode stack = description.get("stack");
		expectEqual(error.stack(), stack.isNull() ? null : stack.asText(), path + ".stack");
		JsonNode fields = description.get("customFields");
		expectEqual(error.customFields().size(), fields.size(), path + ".customFields.size");
		Iterator<Map.Entry<String, @Nullable Object>> entries = error.customFields().entrySet().iterator();
		for (JsonNode field : fields) {
			if (!entries.hasNext()) {
				break;
			}
			Map.Entry<String, @Nullable Object> entry = entries.next();
			expectEqual(entry.getKey(), field.get("key").asText(), path + ".customFields.key");
			match(entry.getValue(), field.get("value"), path + ".customFields." + entry.getKey());
		}
	}

}
