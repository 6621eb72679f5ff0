package io.netron.transport;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.netron.protocol.JsError;
import io.netron.protocol.Undefined;
import org.jspecify.annotations.Nullable;

/**
 * Values and JSON on the HTTP transport, both ways and on both sides: JSON read into the values a
 * Netron frame decodes to, and values written as JavaScript's {@code JSON.stringify} writes them
 * ({@code 5}, not {@code 5.0}; dates as ISO-8601 text; {@code undefined} as {@code null}).
 */
final class HttpJson {

	private HttpJson() {
	}

	/** {@return a JSON mapper that writes values as JavaScript does} */
	static ObjectMapper mapper() {
		SimpleModule values = new SimpleModule("netron-json-values");
		values.addSerializer(Undefined.class, new UndefinedAsNull());
		values.addSerializer(JsError.class, new ErrorAsObject());
		values.addSerializer(Double.class, new NumberAsJavaScript());
		values.addSerializer(double.class, new NumberAsJavaScript());
		return new ObjectMapper().registerModule(new JavaTimeModule())
			.registerModule(new Jdk8Module())
			.registerModule(values)
			.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
			.disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
	}

	/** A JSON value as the values a Netron frame decodes to: maps, lists, strings, numbers, booleans, {@code null}. */
	static @Nullable Object toValue(@Nullable JsonNode node) {
		if (node == null || node.isNull() || node.isMissingNode()) {
			return null;
		}
		if (node.isObject()) {
			Map<String, @Nullable Object> map = new LinkedHashMap<>();
			Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
			while (fields.hasNext()) {
				Map.Entry<String, JsonNode> field = fields.next();
				map.put(field.getKey(), toValue(field.getValue()));
			}
			return map;
		}
		if (node.isArray()) {
			List<@Nullable Object> list = new ArrayList<>(node.size());
			node.forEach((item) -> list.add(toValue(item)));
			return list;
		}
		if (node.isTextual()) {
			return node.asText();
		}
		if (node.isBoolean()) {
			return node.asBoolean();
		}
		if (node.isIntegralNumber()) {
			BigInteger value = node.bigIntegerValue();
			return (value.bitLength() < 32) ? (Object) value.intValue()
					: (value.bitLength() < 64) ? (Object) value.longValue() : (Object) value.doubleValue();
		}
		return node.asDouble();
	}

	/** {@code undefined} has no JSON form: {@code null}. */
	private static final class UndefinedAsNull extends StdSerializer<Undefined> {

		UndefinedAsNull() {
			super(Undefined.class);
		}

		@Override
		public void serialize(Undefined value, JsonGenerator generator, SerializerProvider provider) throws IOException {
			generator.writeNull();
		}

	}

	/** A double as JavaScript writes the number: {@code 5}, not {@code 5.0}. */
	private static final class NumberAsJavaScript extends StdSerializer<Double> {

		NumberAsJavaScript() {
			super(Double.class);
		}

		@Override
		public void serialize(Double value, JsonGenerator generator, SerializerProvider provider) throws IOException {
			double number = value;
			if (number == Math.rint(number) && Math.abs(number) <= 9_007_199_254_740_991.0) {
				generator.writeNumber((long) number);
			}
			else if (Double.isNaN(number) || Double.isInfinite(number)) {
				// JSON.stringify writes null for NaN and the infinities
				generator.writeNull();
			}
			else {
				generator.writeNumber(number);
			}
		}

	}

	/** An error passed as a value: its name and message (and custom fields). */
	private static final class ErrorAsObject extends StdSerializer<JsError> {

		ErrorAsObject() {
			super(JsError.class);
		}

		@Override
		public void serialize(JsError value, JsonGenerator generator, SerializerProvider provider) throws IOException {
			generator.writeStartObject();
			generator.writeStringField("name", value.name());
			generator.writeStringField("message", value.getMessage());
			for (Map.Entry<String, @Nullable Object> field : value.customFields().entrySet()) {
				generator.writeFieldName(field.getKey());
				provider.defaultSerializeValue(field.getValue(), generator);
			}
			generator.writeEndObject();
		}

	}

}
