package io.netron.core;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.List;

import io.netron.annotation.NetronService;
import io.netron.annotation.Public;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code java.time} values, decimals and records holding them, as parameters and results of
 * calls between two Java nodes over a real WebSocket.
 */
class ValuesOverTheWireTests {

	private static final TestNodes nodes = new TestNodes();

	private static TimesClient times;

	@BeforeAll
	static void start() {
		ConfigurableApplicationContext server = nodes.server(new Class<?>[] { Times.class });
		times = nodes.client().connect(TestNodes.url(server)).join().queryInterface("times@1.0.0", TimesClient.class);
	}

	@AfterAll
	static void stop() throws Exception {
		nodes.close();
	}

	record Meeting(String title, OffsetDateTime at, LocalDate day) {
	}

	@NetronService("times@1.0.0")
	static class Times {

		@Public
		public OffsetDateTime later(OffsetDateTime at, long minutes) {
			return at.plusMinutes(minutes);
		}

		@Public
		public ZonedDateTime zoned(ZonedDateTime at) {
			return at;
		}

		@Public
		public LocalDate nextDay(LocalDate day) {
			return day.plusDays(1);
		}

		@Public
		public LocalDateTime local(LocalDateTime at) {
			return at;
		}

		@Public
		public Meeting postpone(Meeting meeting) {
			return new Meeting(meeting.title(), meeting.at().plusDays(1), meeting.day().plusDays(1));
		}

		@Public
		public BigDecimal half(BigDecimal value) {
			return value.divide(BigDecimal.valueOf(2));
		}

	}

	interface TimesClient {

		OffsetDateTime later(OffsetDateTime at, long minutes);

		ZonedDateTime zoned(ZonedDateTime at);

		LocalDate nextDay(LocalDate day);

		LocalDateTime local(Object at);

		Meeting postpone(Meeting meeting);

		Object postpone(Object meeting);

		BigDecimal half(BigDecimal value);

	}

	@Test
	void dateTimesAreDatesOnTheWireAndComeBackAsTheDeclaredType() {
		OffsetDateTime at = OffsetDateTime.parse("2026-11-26T10:15:30.123Z");
		assertThat(times.later(at, 5)).isEqualTo(at.plusMinutes(5));
		assertThat(times.zoned(at.toZonedDateTime())).isEqualTo(at.toZonedDateTime());
		assertThat(times.nextDay(LocalDate.parse("2026-02-28"))).isEqualTo(LocalDate.parse("2026-03-01"));
		// a JavaScript Date passed where the service reads a LocalDateTime: read at UTC
		assertThat(times.local(at.toInstant())).isEqualTo(LocalDateTime.parse("2026-11-26T10:15:30.123"));
		Meeting meeting = new Meeting("review", at, LocalDate.parse("2026-11-26"));
		assertThat(times.postpone(meeting)).isEqualTo(new Meeting("review", at.plusDays(1), LocalDate.parse("2026-11-27")));
	}

	@Test
	void aFieldThatCannotBeConvertedIsNamedInTheError() {
		assertThatExceptionOfType(RemoteInvocationException.class)
			.isThrownBy(() -> times.postpone((Object) java.util.Map.of("title", "x", "at", List.of(1), "day", "2026-11-26")))
			.withMessageStartingWith("TypeError: Invalid argument 1 (meeting) of times@1.0.0.postpone: Cannot convert object to ")
			.withMessageContaining("at field 'at'");
	}

	@Test
	void bigDecimalsKeepEveryDigit() {
		assertThat(times.half(new BigDecimal("123456789012345678901234567890.123456789")))
			.isEqualTo(new BigDecimal("61728394506172839450617283945.0617283945"));
	}

}
