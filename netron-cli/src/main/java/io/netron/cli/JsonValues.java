package io.netron.cli;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netron.core.RemoteService;
import io.netron.protocol.Definition;
import io.netron.protocol.InvalidDate;
import io.netron.protocol.JsError;
import io.netron.protocol.JsLong;
import io.netron.protocol.JsMap;
import io.netron.protocol.JsRegExp;
import io.netron.protocol.Undefined;

import org.jspecify.annotations.Nullable;

/**
 * JavaScript values as JSON on the command line, both ways. JSON's own types map as they are;
 * the types JSON lacks are objects with one tagged key:
 *
 * <pre>
 * {"$date": "2026-11-26T10:00:00Z"}      a Date ("Invalid Date" for an invalid one)
 * {"$map": [[key, value], ...]}          a Map, any keys
 * {"$set": [value, ...]}                 a Set
 * {"$bigint": "123456789012345678901"}   a BigInt
 * {"$binary": "aGVsbG8="}                binary data (Buffer, Uint8Array), base64
 * {"$undefined": true}                   undefined
 * </pre>
 *
 * Results may also carry {@code {"$long": "..."}} (a 64-bit integer beyond a double's precision),
 * {@code {"$regexp": "/source/flags"}}, {@code {"$service": "name@version"}} (a service returned
 * by reference) and {@code {"$error": {...}}}.
 */
final class JsonValues {

	static final ObjectMapper JSON = new ObjectMapper();

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	private JsonValues() {
	}

	/**
	 * Parses one argument.
	 * @param text JSON, or a bare word taken as a string (so that {@code greet Ada} works)
	 * @return the value for the wire
	 * @throws IllegalArgumentException naming what is wrong with the JSON
	 */
	static @Nullable Object parse(String text) {
		JsonNode node;
		try {
			node = JSON.readTree(text);
		}
		catch (JsonProcessingException ex) {
			if (looksLikeJson(text)) {
				throw new IllegalArgumentException("Malformed JSON argument " + quote(text) + ": "
						+ ex.getOriginalMessage());
			}
			return text;
		}
		if (node == null || node.isMissingNode()) {
			return text;
		}
		return fromJson(node);
	}

	private static boolean looksLikeJson(String text) {
		String trimmed = text.strip();
		return !trimmed.isEmpty() && "[{\"-0123456789".indexOf(trimmed.charAt(0)) >= 0;
	}

	static @Nullable Object fromJson(JsonNode node) {
		if (node.isNull()) {
			return null;
		}
		if (node.isBoolean()) {
			return node.booleanValue();
		}
		if (node.isIntegralNumber()) {
			BigInteger value = node.bigIntegerValue();
			if (value.bitLength() < 32) {
				return value.intValue();
			}
			return (value.bitLength() < 54) ? (Object) value.doubleValue() : (Object) value;
		}
		if (node.isNumber()) {
			return node.doubleValue();
		}
		if (node.isTextual()) {
			return node.textValue();
		}
		if (node.isArray()) {
			List<@Nullable Object> list = new ArrayList<>(node.size());
			node.forEach((item) -> list.add(fromJson(item)));
			return list;
		}
		if (node.size() == 1) {
			Map.Entry<String, JsonNode> only = node.fields().next();
			Object tagged = fromTag(only.getKey(), only.getValue());
			if (tagged != NOT_A_TAG) {
				return tagged;
			}
		}
		Map<String, @Nullable Object> object = new LinkedHashMap<>();
		for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
			Map.Entry<String, JsonNode> field = fields.next();
			object.put(field.getKey(), fromJson(field.getValue()));
		}
		return object;
	}

	private static final Object NOT_A_TAG = new Object();

	private static @Nullable Object fromTag(String tag, JsonNode value) {
		switch (tag) {
			case "$date" -> {
				try {
					return Instant.parse(value.asText());
				}
				catch (DateTimeParseException ex) {
					throw new IllegalArgumentException("Invalid {\"$date\": ...}: " + quote(value.asText())
							+ " is not an ISO-8601 instant such as 2026-11-26T10:00:00Z");
				}
			}
			case "$map" -> {
				if (!value.isArray()) {
					throw new IllegalArgumentException("Invalid {\"$map\": ...}: expected an array of [key, value] pairs");
				}
				JsMap map = new JsMap();
				for (JsonNode pair : value) {
					if (!pair.isArray() || pair.size() != 2) {
						throw new IllegalArgumentException("Invalid {\"$map\": ...}: " + pair + " is not a [key, value] pair");
					}
					map.put(fromJson(pair.get(0)), fromJson(pair.get(1)));
				}
				return map;
			}
			case "$set" -> {
				if (!value.isArray()) {
					throw new IllegalArgumentException("Invalid {\"$set\": ...}: expected an array");
				}
				Set<@Nullable Object> set = new LinkedHashSet<>();
				value.forEach((item) -> set.add(fromJson(item)));
				return set;
			}
			case "$bigint" -> {
				try {
					return new BigInteger(value.asText());
				}
				catch (NumberFormatException ex) {
					throw new IllegalArgumentException("Invalid {\"$bigint\": ...}: " + quote(value.asText()) + " is not an integer");
				}
			}
			case "$binary" -> {
				try {
					return Base64.getDecoder().decode(value.asText());
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException("Invalid {\"$binary\": ...}: not base64 (" + ex.getMessage() + ")");
				}
			}
			case "$undefined" -> {
				return Undefined.INSTANCE;
			}
			default -> {
				return NOT_A_TAG;
			}
		}
	}

	/** A value from the wire as JSON, the types JSON lacks tagged. */
	static JsonNode toJson(@Nullable Object value) {
		if (value == null) {
			return NODES.nullNode();
		}
		if (value instanceof Undefined) {
			return tag("$undefined", NODES.booleanNode(true));
		}
		if (value instanceof Boolean bool) {
			return NODES.booleanNode(bool);
		}
		if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
			return NODES.numberNode(((Number) value).longValue());
		}
		if (value instanceof Double number) {
			if (number == Math.rint(number) && !Double.isInfinite(number) && Math.abs(number) < 1e15) {
				return NODES.numberNode(number.longValue());
			}
			return (number.isNaN() || number.isInfinite()) ? NODES.textNode(number.toString()) : NODES.numberNode(number);
		}
		if (value instanceof Float number) {
			return toJson(number.doubleValue());
		}
		if (value instanceof BigInteger big) {
			return tag("$bigint", NODES.textNode(big.toString()));
		}
		if (value instanceof BigDecimal decimal) {
			return NODES.numberNode(decimal);
		}
		if (value instanceof JsLong number) {
			return tag("$long", NODES.textNode(number.toString()));
		}
		if (value instanceof CharSequence text) {
			return NODES.textNode(text.toString());
		}
		if (value instanceof Instant instant) {
			return tag("$date", NODES.textNode(instant.toString()));
		}
		if (value instanceof InvalidDate) {
			return tag("$date", NODES.textNode("Invalid Date"));
		}
		if (value instanceof byte[] bytes) {
			return tag("$binary", NODES.textNode(Base64.getEncoder().encodeToString(bytes)));
		}
		if (value instanceof JsRegExp regexp) {
			return tag("$regexp", NODES.textNode(regexp.toString()));
		}
		if (value instanceof JsMap map) {
			ArrayNode pairs = NODES.arrayNode();
			map.forEach((key, item) -> pairs.add(NODES.arrayNode().add(toJson(key)).add(toJson(item))));
			return tag("$map", pairs);
		}
		if (value instanceof Set<?> set) {
			ArrayNode items = NODES.arrayNode();
			set.forEach((item) -> items.add(toJson(item)));
			return tag("$set", items);
		}
		if (value instanceof Map<?, ?> map) {
			ObjectNode object = NODES.objectNode();
			map.forEach((key, item) -> object.set(String.valueOf(key), toJson(item)));
			return object;
		}
		if (value instanceof Collection<?> collection) {
			ArrayNode items = NODES.arrayNode();
			collection.forEach((item) -> items.add(toJson(item)));
			return items;
		}
		if (value instanceof Object[] array) {
			return toJson(List.of(array));
		}
		if (value instanceof RemoteService service) {
			return tag("$service", NODES.textNode(service.definition().meta().qualifiedName()));
		}
		if (value instanceof Definition definition) {
			return tag("$service", NODES.textNode(definition.meta().qualifiedName()));
		}
		if (value instanceof JsError error) {
			return tag("$error", error(error.name(), error.getMessage(), error.customFields()));
		}
		return NODES.textNode(String.valueOf(value));
	}

	/** An error as JSON: its name, message and custom fields. */
	static ObjectNode error(String name, @Nullable String message, Map<String, @Nullable Object> fields) {
		ObjectNode error = NODES.objectNode();
		error.put("name", name);
		error.put("message", message);
		if (!fields.isEmpty()) {
			ObjectNode custom = NODES.objectNode();
			fields.forEach((key, item) -> custom.set(key, toJson(item)));
			error.set("fields", custom);
		}
		return error;
	}

	private static ObjectNode tag(String tag, JsonNode value) {
		ObjectNode node = NODES.objectNode();
		node.set(tag, value);
		return node;
	}

	static String quote(String text) {
		return "'" + ((text.length() > 60) ? text.substring(0, 57) + "..." : text) + "'";
	}

}
