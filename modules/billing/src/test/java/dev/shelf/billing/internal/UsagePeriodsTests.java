package dev.shelf.billing.internal;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Usage periods are 30 calendar days from local midnight of the activation day, in the shop's time zone. */
class UsagePeriodsTests {

	private static final ZoneId LOS_ANGELES = ZoneId.of("America/Los_Angeles");

	@Test
	void aPeriodStartsAtLocalMidnightOfTheActivationDayNotAtUtcMidnight() {
		// 2026-03-01 02:00 UTC is still 2026-02-28 in Los Angeles.
		Instant activated = Instant.parse("2026-03-01T02:00:00Z");

		UsagePeriods.Bounds first = UsagePeriods.bounds(activated, activated.plusSeconds(60), LOS_ANGELES);

		assertThat(first.startsAt()).isEqualTo(ZonedDateTime.parse("2026-02-28T00:00-08:00[America/Los_Angeles]")
				.toInstant());
		assertThat(first.endsAt()).isEqualTo(ZonedDateTime.parse("2026-03-30T00:00-07:00[America/Los_Angeles]")
				.toInstant());
		assertThat(UsagePeriods.bounds(activated, activated, ZoneId.of("UTC")).startsAt())
				.isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
	}

	@Test
	void periodBoundariesStayAtLocalMidnightAcrossDaylightSavingTime() {
		Instant activated = Instant.parse("2026-02-28T18:00:00Z"); // 10:00 in Los Angeles, PST
		Instant justBeforeSecond = ZonedDateTime.parse("2026-03-29T23:59:59-07:00[America/Los_Angeles]").toInstant();
		Instant startOfSecond = ZonedDateTime.parse("2026-03-30T00:00-07:00[America/Los_Angeles]").toInstant();

		assertThat(UsagePeriods.bounds(activated, justBeforeSecond, LOS_ANGELES).endsAt()).isEqualTo(startOfSecond);
		UsagePeriods.Bounds second = UsagePeriods.bounds(activated, startOfSecond, LOS_ANGELES);
		assertThat(second.startsAt()).isEqualTo(startOfSecond);
		// 30 local days that contain no change of offset: exactly 720 hours.
		assertThat(java.time.Duration.between(second.startsAt(), second.endsAt()).toHours()).isEqualTo(720);
		// The first period contains the change to summer time (8 March): one hour shorter.
		UsagePeriods.Bounds first = UsagePeriods.bounds(activated, activated, LOS_ANGELES);
		assertThat(java.time.Duration.between(first.startsAt(), first.endsAt()).toHours()).isEqualTo(719);
	}

	@Test
	void theTenthPeriodIsFoundDirectly() {
		Instant activated = Instant.parse("2026-01-01T12:00:00Z");
		Instant at = Instant.parse("2026-09-30T12:00:00Z"); // day 272 → period 9 (days 270..299)

		UsagePeriods.Bounds bounds = UsagePeriods.bounds(activated, at, ZoneId.of("UTC"));

		assertThat(bounds.startsAt()).isEqualTo(Instant.parse("2026-09-28T00:00:00Z"));
		assertThat(bounds.endsAt()).isEqualTo(Instant.parse("2026-10-28T00:00:00Z"));
	}
}
