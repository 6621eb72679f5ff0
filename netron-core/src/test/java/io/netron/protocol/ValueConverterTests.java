package io.netron.protocol;

import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ValueConverterTests {

	private final ValueCodec codec = new ValueCodec();

	private final ValueConverter converter = this.codec.converter();

	/** What a declared parameter receives after a value crossed the wire. */
	private @Nullable Object overTheWire(@Nullable Object value, Type type) {
		return this.converter.convert(this.codec.decode(this.codec.encode(value)), type);
	}

	private static Type typeOf(TypeReference<?> reference) {
		return reference.getType();
	}

	record Address(String city, int zip) {
	}

	record Person(String name, long age, List<Address> addresses, @Nullable Instant born, byte[] photo,
			Map<String, Integer> scores, Optional<String> nickname, Level level) {
	}

	enum Level {

		LOW, HIGH

	}

	public static class Pojo {

		private String title = "";

		private int pages;

		@JsonIgnore
		public String secret = "hidden";

		public String getTitle() {
			return this.title;
		}

		public void setTitle(String title) {
			this.title = title;
		}

		@JsonProperty("page_count")
		public int getPages() {
			return this.pages;
		}

		@JsonProperty("page_count")
		public void setPages(int pages) {
			this.pages = pages;
		}

	}

	@Test
	void recordWithNestedTypesSurvivesTheWire() {
		Person person = new Person("Ada", 36, List.of(new Address("London", 123)), Instant.parse("1815-12-10T00:00:00Z")
			.plusSeconds(0), new byte[] { 1, 2 }, Map.of("math", 100), Optional.of("ada"), Level.HIGH);
		Person born1970 = new Person(person.name(), person.age(), person.addresses(), Instant.ofEpochMilli(1234),
				person.photo(), person.scores(), person.nickname(), person.level());
		Person copy = (Person) overTheWire(born1970, Person.class);
		assertThat(copy).usingRecursiveComparison().isEqualTo(born1970);
	}

	@Test
	void javaBeanUsesJacksonNamesAndIgnores() {
		Pojo pojo = new Pojo();
		pojo.setTitle("T");
		pojo.setPages(3);
		assertThat(this.codec.decode(this.codec.encode(pojo))).isEqualTo(Map.of("title", "T", "page_count", 3));
		Pojo copy = (Pojo) overTheWire(pojo, Pojo.class);
		assertThat(copy.getTitle()).isEqualTo("T");
		assertThat(copy.getPages()).isEqualTo(3);
	}

	@Test
	void unknownPropertiesFromNewerPeersAreIgnored() {
		Map<String, Object> wire = new LinkedHashMap<>();
		wire.put("city", "Paris");
		wire.put("zip", 75001);
		wire.put("planet", "Earth");
		assertThat(this.converter.convert(wire, Address.class)).isEqualTo(new Address("Paris", 75001));
	}

	@Test
	void genericCollectionsConvertTheirElements() {
		Object decoded = List.of(Map.of("city", "A", "zip", 1));
		assertThat(this.converter.convert(decoded, typeOf(new TypeReference<List<Address>>() {
		}))).isEqualTo(List.of(new Address("A", 1)));
		assertThat(overTheWire(Map.of("a", 1.0), typeOf(new TypeReference<Map<String, Integer>>() {
		}))).isEqualTo(Map.of("a", 1));
		assertThat(overTheWire(Map.of(1, "x"), typeOf(new TypeReference<Map<Integer, String>>() {
		}))).isEqualTo(Map.of(1, "x"));
		assertThat(overTheWire(Set.of("a"), typeOf(new TypeReference<Set<String>>() {
		}))).isEqualTo(Set.of("a"));
	}

	@Test
	void valuesOfTheDeclaredTypePassThroughUnchanged() {
		JsMap map = new JsMap();
		map.put(1, "one");
		assertThat(this.converter.convert(map, Object.class)).isSameAs(map);
		assertThat(this.converter.convert(map, Map.class)).isSameAs(map);
		assertThat(this.converter.convert(Undefined.INSTANCE, Object.class)).isSameAs(Undefined.INSTANCE);
		JsError error = JsError.of(JsErrorType.RANGE_ERROR, "r");
		assertThat(this.converter.convert(error, JsError.class)).isSameAs(error);
	}

	@Test
	void numbersConvertExactlyOrFailNamingTheProblem() {
		assertThat(overTheWire(2147483648L, long.class)).isEqualTo(2147483648L);
		assertThat(overTheWire(Long.MAX_VALUE, long.class)).isEqualTo(Long.MAX_VALUE);
		assertThat(overTheWire(3, double.class)).isEqualTo(3.0);
		assertThat(overTheWire(7.0, int.class)).isEqualTo(7);
		assertThat(overTheWire(200, Short.class)).isEqualTo((short) 200);
		assertThatExceptionOfType(ValueConversionException.class).isThrownBy(() -> overTheWire(2.5, int.class))
			.withMessage("Cannot convert number 2.5 to int: not an integer in range");
		assertThatExceptionOfType(ValueConversionException.class).isThrownBy(() -> overTheWire(2147483648L, int.class))
			.withMessage("Cannot convert number 2.147483648E9 to int: out of range");
		assertThatExceptionOfType(ValueConversionException.class).isThrownBy(() -> overTheWire(300, byte.class))
			.withMessage("Cannot convert number 300 to byte: out of range");
		assertThatExceptionOfType(ValueConversionException.class).isThrownBy(() -> overTheWire("7", int.class))
			.withMessage("Cannot convert string to int");
	}

	@Test
	void missingValuesFailForPrimitivesAndGiveNullOrEmptyOtherwise() {
		assertThatExceptionOfType(ValueConversionException.class)
			.isThrownBy(() -> this.converter.convert(Undefined.INSTANCE, int.class))
			.withMessage("Cannot convert undefined to int");
		assertThat(this.converter.convert(null, String.class)).isNull();
		assertThat(this.converter.convert(Undefined.INSTANCE, Optional.class)).isEqualTo(Optional.empty());
		assertThat(overTheWire("x", typeOf(new TypeReference<Optional<String>>() {
		}))).isEqualTo(Optional.of("x"));
	}

	@Test
	void scalarsConvertFromTheirWireForms() {
		assertThat(overTheWire(new BigInteger("123456789012345678901234567890"), BigInteger.class))
			.isEqualTo(new BigInteger("123456789012345678901234567890"));
		assertThat(overTheWire(42, BigInteger.class)).isEqualTo(BigInteger.valueOf(42));
		assertThat(this.converter.convert(new JsLong(-1, true), BigInteger.class))
			.isEqualTo(new BigInteger("18446744073709551615"));
		assertThat(overTheWire(Instant.ofEpochMilli(5), Instant.class)).isEqualTo(Instant.ofEpochMilli(5));
		assertThat(overTheWire(Instant.ofEpochMilli(5), Date.class)).isEqualTo(new Date(5));
		assertThat(overTheWire("2024-01-02T03:04:05.678Z", Instant.class)).isEqualTo(Instant.ofEpochMilli(1704164645678L));
		assertThat(overTheWire(new byte[] { 9 }, byte[].class)).isEqualTo(new byte[] { 9 });
		assertThat(overTheWire(Level.LOW, Level.class)).isEqualTo(Level.LOW);
		assertThatExceptionOfType(ValueConversionException.class).isThrownBy(() -> overTheWire("MIDDLE", Level.class))
			.withMessage("Cannot convert string 'MIDDLE' to " + Level.class.getName() + ": no such constant");
	}

	@Test
	void wrongShapeForRecordFailsNamingTheType() {
		assertThatExceptionOfType(ValueConversionException.class).isThrownBy(() -> overTheWire(List.of(1), Address.class))
			.withMessageStartingWith("Cannot convert array to " + Address.class.getName() + ": ");
	}

	@Test
	void javaTimeValuesTravelAsDatesOrIsoText() {
		java.time.LocalDate day = java.time.LocalDate.of(2024, 1, 2);
		assertThat(this.codec.decode(this.codec.encode(day))).isEqualTo("2024-01-02");
		assertThat(overTheWire(day, java.time.LocalDate.class)).isEqualTo(day);
		java.time.OffsetDateTime at = java.time.OffsetDateTime.parse("2024-01-02T03:04:05.678+01:00");
		assertThat(this.codec.decode(this.codec.encode(at))).isEqualTo(at.toInstant());
	}

	record Meeting(String title, java.time.OffsetDateTime at) {
	}

	@Test
	void javaTimeTypesCrossTheWireInBothDirections() {
		java.time.OffsetDateTime offset = java.time.OffsetDateTime.parse("2026-11-26T10:15:30.123Z");
		assertThat(overTheWire(offset, java.time.OffsetDateTime.class)).isEqualTo(offset);
		assertThat(overTheWire(offset.toZonedDateTime(), java.time.ZonedDateTime.class)).isEqualTo(offset.toZonedDateTime());
		// a Date read as a local date or time is read at UTC
		assertThat(overTheWire(offset.toInstant(), java.time.LocalDateTime.class))
			.isEqualTo(java.time.LocalDateTime.parse("2026-11-26T10:15:30.123"));
		assertThat(overTheWire(offset.toInstant(), java.time.LocalDate.class)).isEqualTo(java.time.LocalDate.parse("2026-11-26"));
		// types without an instant travel as ISO-8601 text and come back
		for (Object value : List.of(java.time.LocalDate.parse("2026-11-26"), java.time.LocalDateTime.parse("2026-11-26T10:15:30"),
				java.time.LocalTime.parse("10:15:30"), java.time.Duration.ofMinutes(90), java.time.Period.ofDays(3),
				java.time.YearMonth.parse("2026-11"), java.time.Year.of(2026), java.time.MonthDay.parse("--11-26"),
				java.time.ZoneId.of("Europe/Paris"), java.time.ZoneOffset.ofHours(2))) {
			Class<?> type = (value instanceof java.time.ZoneId zone && !(value instanceof java.time.ZoneOffset))
					? java.time.ZoneId.class : value.getClass();
			assertThat(overTheWire(value, type)).as("%s", value).isEqualTo(value);
		}
		Meeting meeting = new Meeting("standup", offset);
		assertThat(overTheWire(meeting, Meeting.class)).isEqualTo(meeting);
	}

	@Test
	void aFieldThatDoesNotConvertIsNamed() {
		assertThatExceptionOfType(ValueConversionException.class)
			.isThrownBy(() -> this.converter.convert(Map.of("title", "x", "at", true), Meeting.class))
			.withMessageStartingWith("Cannot convert object to ")
			.withMessageContaining(" at field 'at': ");
	}

	@Test
	void bigDecimalsKeepEveryDigitBetweenJavaNodes() {
		BigDecimal exact = new BigDecimal("123456789012345678901234567890.123456789");
		assertThat(overTheWire(exact, BigDecimal.class)).isEqualTo(exact);
		assertThat(overTheWire(new BigDecimal("1.50"), BigDecimal.class)).isEqualTo(new BigDecimal("1.50"));
		// a JavaScript number read as a BigDecimal: its shortest decimal form
		assertThat(this.converter.convert(0.1, BigDecimal.class)).isEqualTo(new BigDecimal("0.1"));
		assertThatExceptionOfType(ValueConversionException.class).isThrownBy(() -> this.converter.convert("ten", BigDecimal.class))
			.withMessage("Cannot convert string 'ten' to java.math.BigDecimal: not a decimal number");
	}

}
