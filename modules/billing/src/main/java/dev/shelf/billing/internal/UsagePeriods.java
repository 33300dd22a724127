package dev.shelf.billing.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import dev.shelf.billing.UsagePeriod;
import dev.shelf.catalog.ShopId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The 30-day usage periods of subscriptions and the reservation of amounts under their caps.
 * <p>
 * Periods are computed in the shop's time zone: the first starts at midnight (shop time) of the day the subscription
 * was activated, each lasts 30 calendar days, so a period boundary stays at local midnight across daylight-saving
 * changes (such a period is then 30 days ± 1 hour long). Shopify's own 30-day cycle starts at the activation instant;
 * Shelf's period starts up to a day earlier, so it never lets more through than Shopify's cap would.
 */
@Component
class UsagePeriods {

	static final int DAYS = 30;

	private final JdbcClient jdbc;

	UsagePeriods(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** The bounds of the period containing {@code at}, for a subscription activated at {@code activatedAt}. */
	static Bounds bounds(Instant activatedAt, Instant at, ZoneId zone) {
		LocalDate anchor = activatedAt.atZone(zone).toLocalDate();
		LocalDate day = at.atZone(zone).toLocalDate();
		long index = Math.floorDiv(ChronoUnit.DAYS.between(anchor, day), DAYS);
		LocalDate start = anchor.plusDays(index * DAYS);
		return new Bounds(start.atStartOfDay(zone).toInstant(), start.plusDays(DAYS).atStartOfDay(zone).toInstant());
	}

	record Bounds(Instant startsAt, Instant endsAt) {
	}

	/**
	 * Reserves {@code amount} in the period unless that would take it over its cap: one conditional UPDATE, so
	 * concurrent reservations of the shop's period queue on its row lock, and each sees the total the one before it
	 * left (READ COMMITTED re-evaluates the condition on the updated row). Creates the period's row first if needed.
	 * Must run in the caller's transaction, which holds the row lock until it ends: keep that transaction short.
	 *
	 * @return whether the amount was reserved
	 */
	boolean reserve(ShopId shop, long subscriptionId, Bounds bounds, BigDecimal cap, String currency, BigDecimal amount) {
		jdbc.sql("""
				INSERT INTO billing.usage_periods (shop_id, subscription_id, starts_at, ends_at, capped_amount, currency_code)
				VALUES (:shop, :subscription, :startsAt, :endsAt, :cap, :currency)
				ON CONFLICT (shop_id, subscription_id, starts_at) DO NOTHING""")
				.param("shop", shop.value()).param("subscription", subscriptionId)
				.param("startsAt", Times.utc(bounds.startsAt())).param("endsAt", Times.utc(bounds.endsAt()))
				.param("cap", cap).param("currency", currency).update();
		return jdbc.sql("""
				UPDATE billing.usage_periods SET reserved_amount = reserved_amount + :amount
				WHERE shop_id = :shop AND subscription_id = :subscription AND starts_at = :startsAt
				  AND reserved_amount + :amount <= capped_amount""")
				.param("shop", shop.value()).param("subscription", subscriptionId)
				.param("startsAt", Times.utc(bounds.startsAt())).param("amount", amount).update() == 1;
	}

	/** Gives back the amount of a charge that failed. */
	void release(ShopId shop, long subscriptionId, Instant startsAt, BigDecimal amount) {
		jdbc.sql("""
				UPDATE billing.usage_periods SET reserved_amount = reserved_amount - :amount
				WHERE shop_id = :shop AND subscription_id = :subscription AND starts_at = :startsAt""")
				.param("shop", shop.value()).param("subscription", subscriptionId)
				.param("startsAt", Times.utc(startsAt)).param("amount", amount).update();
	}

	Optional<UsagePeriod> find(ShopId shop, long subscriptionId, Instant startsAt) {
		return jdbc.sql("""
				SELECT starts_at, ends_at, capped_amount, reserved_amount, currency_code FROM billing.usage_periods
				WHERE shop_id = :shop AND subscription_id = :subscription AND starts_at = :startsAt""")
				.param("shop", shop.value()).param("subscription", subscriptionId)
				.param("startsAt", Times.utc(startsAt))
				.query((row, n) -> new UsagePeriod(Times.instant(row, "starts_at"), Times.instant(row, "ends_at"),
						row.getBigDecimal("capped_amount"), row.getBigDecimal("reserved_amount"),
						row.getString("currency_code")))
				.optional();
	}
}
