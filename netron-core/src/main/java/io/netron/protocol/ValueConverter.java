package io.netron.protocol;

import java.io.IOException;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ser.std.BeanSerializerBase;
import com.fasterxml.jackson.databind.ser.impl.UnknownSerializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.datatype.jsr310.deser.LocalDateDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.LocalDateTimeDeserializer;
import com.fasterxml.jackson.datatype.jsr310.deser.LocalTimeDeserializer;
import org.jspecify.annotations.Nullable;
import org.msgpack.jackson.dataformat.MessagePackMapper;

/**
 * Converts between decoded wire values and declared Java types (arguments, results, properties)
 * with the codec's own Jackson 2 {@link MessagePackMapper}, never the application's mapper.
 *
 * <p>Values that already have the declared type pass through untouched; numbers, strings,
 * dates, BigInts and binary convert directly with exact range checks; records, JavaBeans and
 * generic collections go through Jackson (so {@code @JsonProperty}, {@code @JsonIgnore} and
 * {@code @JsonCreator} apply), with Netron values such as {@link Instant} or {@link JsError}
 * handed to Jackson as they are.
 */
public final class ValueConverter {

	private final ObjectMapper mapper;

	private final ConcurrentMap<Class<?>, List<Property>> properties = new ConcurrentHashMap<>();

	/** A converter with the default mapper (see {@link #createMapper()}). */
	public ValueConverter() {
		this(createMapper());
	}

	/**
	 * A converter with the given Jackson 2 mapper.
	 * @param mapper a Jackson 2 mapper (see {@link #createMapper()})
	 */
	public ValueConverter(ObjectMapper mapper) {
		this.mapper = mapper;
	}

	/**
	 * The default mapper, then changed by {@code customizer}: modules, features, naming strategies
	 * (the Spring Boot starter applies every {@code NetronCodecCustomizer} bean this way).
	 * @param customizer changes the mapper
	 * @return a new mapper
	 */
	public static ObjectMapper createMapper(java.util.function.Consumer<? super ObjectMapper> customizer) {
		ObjectMapper mapper = createMapper();
		customizer.accept(mapper);
		return mapper;
	}

	/**
	 * The default mapper: unknown properties are ignored (peers may be newer), {@code Optional}
	 * and {@code java.time} types are supported, and {@link Instant} and {@link Date} read from
	 * Netron dates, epoch milliseconds and ISO-8601 strings.
	 * @return a new mapper
	 */
	public static ObjectMapper createMapper() {
		MessagePackMapper mapper = new MessagePackMapper();
		mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
		mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
		mapper.registerModule(new Jdk8Module());
		mapper.registerModule(new JavaTimeModule());
		// registered last, so these take precedence over JavaTimeModule's Instant reader
		SimpleModule module = new SimpleModule("netron");
		module.addDeserializer(Instant.class, new InstantDeserializer());
		module.addDeserializer(Date.class, new DateDeserializer());
		// the java.time types a JavaScript Date may stand for: from a Date (at UTC where the type
		// has no zone) or, through JavaTimeModule's own readers, from ISO-8601 text
		module.addDeserializer(OffsetDateTime.class, new DateTimeDeserializer<>(OffsetDateTime.class,
				com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer.OFFSET_DATE_TIME));
		module.addDeserializer(ZonedDateTime.class, new DateTimeDeserializer<>(ZonedDateTime.class,
				com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer.ZONED_DATE_TIME));
		module.addDeserializer(LocalDateTime.class,
				new DateTimeDeserializer<>(LocalDateTime.class, LocalDateTimeDeserializer.INSTANCE));
		module.addDeserializer(LocalDate.class, new DateTimeDeserializer<>(LocalDate.class, LocalDateDeserializer.INSTANCE));
		module.addDeserializer(LocalTime.class, new DateTimeDeserializer<>(LocalTime.class, LocalTimeDeserializer.INSTANCE));
		mapper.registerModule(module);
		registerKotlinModule(mapper);
		return mapper;
	}

	/**
	 * Registers jackson-module-kotlin when it is on the class path: Kotlin data classes, default
	 * and nullable parameters are then read as Kotlin means them.
	 */
	private static void registerKotlinModule(ObjectMapper mapper) {
		Class<?> builder;
		try {
			builder = Class.forName("com.fasterxml.jackson.module.kotlin.KotlinModule$Builder", true,
					ValueConverter.class.getClassLoader());
		}
		catch (ClassNotFoundException | LinkageError absent) {
			// no Kotlin support on the class path
			return;
		}
		try {
			Object kotlin = builder.getMethod("build").invoke(builder.getConstructor().newInstance());
			mapper.registerModule((com.fasterxml.jackson.databind.Module) kotlin);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			throw new IllegalStateException("jackson-module-kotlin is on the class path but cannot be registered: " + ex, ex);
		}
	}

	/** {@return the Jackson 2 mapper this converter uses} */
	public ObjectMapper mapper() {
		return this.mapper;
	}

	/** Per class: whether the mapper has a serializer of its own for it (a module's, {@code @JsonValue}). */
	private final ConcurrentMap<Class<?>, Boolean> ownSerializer = new ConcurrentHashMap<>();

	/**
	 * The plain form the codec writes for an object that is not one of Netron's values: what the
	 * mapper's own serializer for its class writes (one a module or a customizer registered, or
	 * {@code @JsonValue}) as maps, lists and scalars; otherwise its {@link #propertiesOf properties}.
	 * @param value a record, JavaBean or other application object
	 * @return its plain form
	 * @throws ProtocolException for JDK classes and lambdas, and objects without readable properties
	 * or a serializer
	 */
	public @Nullable Object plainFormOf(Object value) {
		if (this.ownSerializer.computeIfAbsent(value.getClass(), this::hasOwnSerializer)) {
			try {
				return this.mapper.convertValue(value, Object.class);
			}
			catch (IllegalArgumentException ex) {
				throw new ProtocolException("Cannot write " + value.getClass().getName() + " with its serializer: "
						+ ex.getMessage());
			}
		}
		return propertiesOf(value);
	}

	private boolean hasOwnSerializer(Class<?> type) {
		if (isJdkOrLambda(type)) {
			return false;
		}
		try {
			JsonSerializer<Object> serializer = this.mapper.getSerializerProviderInstance().findValueSerializer(type);
			return !(serializer instanceof BeanSerializerBase) && !(serializer instanceof UnknownSerializer);
		}
		catch (com.fasterxml.jackson.databind.JsonMappingException ex) {
			return false;
		}
	}

	private static boolean isJdkOrLambda(Class<?> type) {
		String className = type.getName();
		return className.startsWith("java.") || className.startsWith("javax.") || className.startsWith("jdk.")
				|| className.startsWith("sun.") || type.isSynthetic() || className.contains("$$Lambda");
	}

	/**
	 * The properties of a record or JavaBean, in Jackson's order and naming, with their values
	 * as they are (the codec encodes them).
	 * @param bean a record or JavaBean
	 * @return its properties by name
	 * @throws ProtocolException for JDK classes and lambdas, and objects without readable properties
	 */
	public Map<String, @Nullable Object> propertiesOf(Object bean) {
		if (isJdkOrLambda(bean.getClass())) {
			// JDK internals and lambdas are not data: refuse them rather than walk their getters
			throw new ProtocolException("Not supported: " + bean.getClass().getName());
		}
		List<Property> props = this.properties.computeIfAbsent(bean.getClass(), this::introspect);
		if (props.isEmpty() && !bean.getClass().isRecord()) {
			throw new ProtocolException("Not supported: " + bean.getClass().getName() + " (no readable properties)");
		}
		Map<String, @Nullable Object> values = new LinkedHashMap<>();
		for (Property property : props) {
			values.put(property.name(), property.accessor().getValue(bean));
		}
		return values;
	}

	private List<Property> introspect(Class<?> type) {
		JavaType javaType = this.mapper.constructType(type);
		BeanDescription description = this.mapper.getSerializationConfig().introspect(javaType);
		List<Property> result = new ArrayList<>();
		for (BeanPropertyDefinition definition : description.findProperties()) {
			AnnotatedMember accessor = definition.getAccessor();
			if (accessor != null && definition.couldSerialize()) {
				accessor.fixAccess(true);
				result.add(new Property(definition.getName(), accessor));
			}
		}
		return Collections.unmodifiableList(result);
	}

	/**
	 * Converts a decoded value to a declared type.
	 * @param <T> the type
	 * @param value a decoded value
	 * @param type the declared type
	 * @return the converted value
	 */
	@SuppressWarnings("unchecked")
	public <T> @Nullable T convert(@Nullable Object value, Class<T> type) {
		return (T) convert(value, (Type) type);
	}

	/**
	 * Converts a decoded value to a declared (possibly generic) type.
	 * @param value a decoded value
	 * @param type the declared type
	 * @return the converted value
	 * @throws ValueConversionException naming the value's kind and the type when they do not fit
	 */
	public @Nullable Object convert(@Nullable Object value, Type type) {
		if (type instanceof Class<?> raw && value != null && value != Undefined.INSTANCE && !raw.isPrimitive()
				&& raw.isInstance(value) && raw.getTypeParameters().length == 0) {
			// the common case, without building a Jackson type: the value already has the type
			return value;
		}
		return convert(value, this.mapper.constructType(type));
	}

	/**
	 * Converts a decoded value to a Jackson type.
	 * @param value a decoded value
	 * @param type the declared type
	 * @return the converted value
	 * @throws ValueConversionException naming the value's kind, the type and the failing field
	 */
	public @Nullable Object convert(@Nullable Object value, JavaType type) {
		Class<?> raw = type.getRawClass();
		if (raw == Object.class) {
			return value;
		}
		if (value == null || value == Undefined.INSTANCE) {
			if (raw == Optional.class) {
				return Optional.empty();
			}
			if (raw.isPrimitive()) {
				throw new ValueConversionException("Cannot convert " + kind(value) + " to " + raw.getName());
			}
			return (raw == Undefined.class) ? value : null;
		}
		if (raw.isInstance(value) && !needsElementConversion(type)) {
			return value;
		}
		Object direct = convertScalar(value, raw);
		if (direct != null) {
			return direct;
		}
		if (raw == Optional.class) {
			return Optional.ofNullable(convert(value, type.containedTypeOrUnknown(0)));
		}
		try (TokenBuffer tokens = new TokenBuffer(this.mapper, false)) {
			writeTokens(tokens, value);
			try (JsonParser parser = tokens.asParser(this.mapper)) {
				return this.mapper.readValue(parser, type);
			}
		}
		catch (JsonMappingException ex) {
			String at = path(ex);
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			String reason = (cause instanceof ValueConversionException) ? cause.getMessage() : ex.getOriginalMessage();
			throw new ValueConversionException("Cannot convert " + kind(value) + " to " + type.toCanonical()
					+ (at.isEmpty() ? "" : " at " + at) + ": " + firstLine(reason), ex);
		}
		catch (IOException | RuntimeException ex) {
			throw new ValueConversionException(
					"Cannot convert " + kind(value) + " to " + type.toCanonical() + ": " + firstLine(ex.getMessage()), ex);
		}
	}

	private static boolean needsElementConversion(JavaType type) {
		for (int i = 0; i < type.containedTypeCount(); i++) {
			if (type.containedType(i).getRawClass() != Object.class) {
				return true;
			}
		}
		return false;
	}

	/** Direct conversions with exact checks, or {@code null} to let Jackson try. */
	private static @Nullable Object convertScalar(Object value, Class<?> raw) {
		if (raw == int.class || raw == Integer.class) {
			return (int) integral(value, Integer.MIN_VALUE, Integer.MAX_VALUE, raw);
		}
		if (raw == long.class || raw == Long.class) {
			return integral(value, Long.MIN_VALUE, Long.MAX_VALUE, raw);
		}
		if (raw == short.class || raw == Short.class) {
			return (short) integral(value, Short.MIN_VALUE, Short.MAX_VALUE, raw);
		}
		if (raw == byte.class || raw == Byte.class) {
			return (byte) integral(value, Byte.MIN_VALUE, Byte.MAX_VALUE, raw);
		}
		if (raw == double.class || raw == Double.class) {
			return number(value, raw).doubleValue();
		}
		if (raw == float.class || raw == Float.class) {
			return number(value, raw).floatValue();
		}
		if (raw == boolean.class || raw == Boolean.class) {
			if (value instanceof Boolean) {
				return value;
			}
			throw mismatch(value, raw);
		}
		if (raw == String.class) {
			if (value instanceof String) {
				return value;
			}
			throw mismatch(value, raw);
		}
		if (raw == BigInteger.class) {
			return bigInteger(value, raw);
		}
		if (raw == BigDecimal.class) {
			return bigDecimal(value, raw);
		}
		if (raw == Instant.class) {
			return instant(value);
		}
		if (raw == Date.class) {
			return Date.from(instant(value));
		}
		if ((value instanceof Instant || value instanceof Date) && DATE_TIMES.containsKey(raw)) {
			return DATE_TIMES.get(raw).apply(instant(value));
		}
		if (raw.isEnum() && value instanceof String name) {
			for (Object constant : raw.getEnumConstants()) {
				if (((Enum<?>) constant).name().equals(name)) {
					return constant;
				}
			}
			throw new ValueConversionException("Cannot convert string '" + name + "' to " + raw.getName()
					+ ": no such constant");
		}
		return null;
	}

	private static Number number(Object value, Class<?> raw) {
		if (value instanceof Number number) {
			return number;
		}
		if (value instanceof JsLong number) {
			return number.toBigInteger();
		}
		throw mismatch(value, raw);
	}

	private static long integral(Object value, long min, long max, Class<?> raw) {
		Number number = number(value, raw);
		long result;
		if (number instanceof Integer || number instanceof Long || number instanceof Short || number instanceof Byte) {
			result = number.longValue();
		}
		else if (number instanceof BigInteger big && big.bitLength() < 64) {
			result = big.longValue();
		}
		else {
			double d = number.doubleValue();
			if (d != Math.rint(d) || Double.isInfinite(d) || d < -0x1p63 || d >= 0x1p63) {
				throw new ValueConversionException("Cannot convert " + kind(value) + " " + value + " to " + raw.getName()
						+ ": not an integer in range");
			}
			result = (long) d;
		}
		if (result < min || result > max) {
			throw new ValueConversionException("Cannot convert " + kind(value) + " " + value + " to " + raw.getName()
					+ ": out of range");
		}
		return result;
	}

	private static BigInteger bigInteger(Object value, Class<?> raw) {
		if (value instanceof BigInteger big) {
			return big;
		}
		if (value instanceof JsLong number) {
			return number.toBigInteger();
		}
		if (value instanceof String text) {
			try {
				return new BigInteger(text);
			}
			catch (NumberFormatException ex) {
				throw mismatch(value, raw);
			}
		}
		return BigInteger.valueOf(integral(value, Long.MIN_VALUE, Long.MAX_VALUE, raw));
	}

	static Instant instant(Object value) {
		if (value instanceof Instant instant) {
			return instant;
		}
		if (value instanceof Date date) {
			return date.toInstant();
		}
		if (value instanceof Number number && !(value instanceof Double d && d != Math.rint(d))) {
			return Instant.ofEpochMilli(number.longValue());
		}
		if (value instanceof String text) {
			try {
				return Instant.parse(text);
			}
			catch (DateTimeParseException ex) {
				throw new ValueConversionException("Cannot convert string '" + text + "' to an Instant: not ISO-8601");
			}
		}
		throw mismatch(value, Instant.class);
	}

	/** java.time types converted from a Date at UTC. */
	private static final Map<Class<?>, Function<Instant, Object>> DATE_TIMES = Map.of(
			OffsetDateTime.class, (instant) -> instant.atOffset(ZoneOffset.UTC),
			ZonedDateTime.class, (instant) -> instant.atZone(ZoneOffset.UTC),
			LocalDateTime.class, (instant) -> LocalDateTime.ofInstant(instant, ZoneOffset.UTC),
			LocalDate.class, (instant) -> LocalDate.ofInstant(instant, ZoneOffset.UTC),
			LocalTime.class, (instant) -> LocalTime.ofInstant(instant, ZoneOffset.UTC));

	/** Where in the value a conversion failed: {@code when}, {@code items[2].when}. */
	private static String path(JsonMappingException ex) {
		StringBuilder path = new StringBuilder();
		for (JsonMappingException.Reference reference : ex.getPath()) {
			if (reference.getFieldName() != null) {
				path.append((path.length() > 0) ? "." : "").append("field '").append(reference.getFieldName()).append("'");
			}
			else if (reference.getIndex() >= 0) {
				path.append("[").append(reference.getIndex()).append("]");
			}
		}
		return path.toString();
	}

	/**
	 * A {@link BigDecimal} from the decimal string Java nodes send (exact), or from a number
	 * (a JavaScript number is a double: its shortest decimal form).
	 */
	private static BigDecimal bigDecimal(Object value, Class<?> raw) {
		if (value instanceof String text) {
			try {
				return new BigDecimal(text);
			}
			catch (NumberFormatException ex) {
				throw new ValueConversionException("Cannot convert string '" + text + "' to java.math.BigDecimal: not a decimal number");
			}
		}
		if (value instanceof BigInteger big) {
			return new BigDecimal(big);
		}
		if (value instanceof JsLong number) {
			return new BigDecimal(number.toBigInteger());
		}
		if (value instanceof Number number) {
			return new BigDecimal(number.toString());
		}
		throw mismatch(value, raw);
	}

	private static ValueConversionException mismatch(Object value, Class<?> raw) {
		return new ValueConversionException("Cannot convert " + kind(value) + " to " + raw.getName());
	}

	/** How a value reads in error messages: its JavaScript kind. */
	static String kind(@Nullable Object value) {
		if (value == null) {
			return "null";
		}
		if (value == Undefined.INSTANCE) {
			return "undefined";
		}
		if (value instanceof String) {
			return "string";
		}
		if (value instanceof Number) {
			return (value instanceof BigInteger) ? "BigInt" : "number";
		}
		if (value instanceof Boolean) {
			return "boolean";
		}
		if (value instanceof byte[]) {
			return "binary";
		}
		if (value instanceof JsMap) {
			return "Map";
		}
		if (value instanceof Map) {
			return "object";
		}
		if (value instanceof java.util.Set) {
			return "Set";
		}
		if (value instanceof Collection) {
			return "array";
		}
		if (value instanceof Instant || value instanceof InvalidDate) {
			return "Date";
		}
		if (value instanceof JsError error) {
			return error.name();
		}
		return value.getClass().getSimpleName();
	}

	private static String firstLine(@Nullable String message) {
		if (message == null) {
			return "";
		}
		int newline = message.indexOf('\n');
		return (newline < 0) ? message : message.substring(0, newline);
	}

	private static void writeTokens(JsonGenerator out, @Nullable Object value) throws IOException {
		if (value == null || value == Undefined.INSTANCE) {
			out.writeNull();
		}
		else if (value instanceof String text) {
			out.writeString(text);
		}
		else if (value instanceof Boolean bool) {
			out.writeBoolean(bool);
		}
		else if (value instanceof Integer number) {
			out.writeNumber(number);
		}
		else if (value instanceof Long number) {
			out.writeNumber(number);
		}
		else if (value instanceof Double number) {
			out.writeNumber(number);
		}
		else if (value instanceof BigInteger number) {
			out.writeNumber(number);
		}
		else if (value instanceof JsLong number) {
			out.writeNumber(number.toBigInteger());
		}
		else if (value instanceof byte[] bytes) {
			out.writeBinary(bytes);
		}
		else if (value instanceof Map<?, ?> map) {
			out.writeStartObject();
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				out.writeFieldName(String.valueOf(entry.getKey()));
				writeTokens(out, entry.getValue());
			}
			out.writeEndObject();
		}
		else if (value instanceof Collection<?> items) {
			out.writeStartArray();
			for (Object item : items) {
				writeTokens(out, item);
			}
			out.writeEndArray();
		}
		else {
			// Instant, JsError, Definition, ...: Jackson hands them to a matching target as they are
			out.writeEmbeddedObject(value);
		}
	}

	private record Property(String name, AnnotatedMember accessor) {
	}

	private static final class InstantDeserializer extends StdScalarDeserializer<Instant> {

		InstantDeserializer() {
			super(Instant.class);
		}

		@Override
		public Instant deserialize(JsonParser parser, DeserializationContext context) throws IOException {
			return instant(scalar(parser, context, Instant.class));
		}

	}

	private static final class DateDeserializer extends StdScalarDeserializer<Date> {

		DateDeserializer() {
			super(Date.class);
		}

		@Override
		public Date deserialize(JsonParser parser, DeserializationContext context) throws IOException {
			return Date.from(instant(scalar(parser, context, Date.class)));
		}

	}

	/**
	 * A java.time type from a Netron Date, epoch milliseconds, or ISO-8601 text (JavaTimeModule's reader).
	 * @param <T> the type read
	 */
	private static final class DateTimeDeserializer<T> extends StdScalarDeserializer<T> {

		private final Function<Instant, Object> fromInstant;

		private final JsonDeserializer<T> text;

		/** Reads a Date as {@code DATE_TIMES} says, and text with {@code text}. */
		DateTimeDeserializer(Class<T> type, JsonDeserializer<T> text) {
			super(type);
			this.fromInstant = DATE_TIMES.get(type);
			this.text = text;
		}

		@Override
		@SuppressWarnings("unchecked")
		public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
			JsonToken token = parser.currentToken();
			if (token == JsonToken.VALUE_EMBEDDED_OBJECT || token == JsonToken.VALUE_NUMBER_INT) {
				return (T) this.fromInstant.apply(instant(scalar(parser, context, handledType())));
			}
			return this.text.deserialize(parser, context);
		}

	}

	private static Object scalar(JsonParser parser, DeserializationContext context, Class<?> type) throws IOException {
		JsonToken token = parser.currentToken();
		if (token == JsonToken.VALUE_EMBEDDED_OBJECT) {
			Object embedded = parser.getEmbeddedObject();
			if (embedded != null) {
				return embedded;
			}
		}
		else if (token == JsonToken.VALUE_NUMBER_INT) {
			return parser.getLongValue();
		}
		else if (token == JsonToken.VALUE_STRING) {
			return parser.getText();
		}
		return context.handleUnexpectedToken(type, parser);
	}

}
