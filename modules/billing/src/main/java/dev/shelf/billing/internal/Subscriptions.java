package dev.shelf.billing.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

import dev.shelf.billing.AppSubscription;
import dev.shelf.billing.Plan;
import dev.shelf.billing.SubscriptionChange;
import dev.shelf.billing.SubscriptionStatus;
import dev.shelf.catalog.ShopId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** The {@code billing.subscriptions} table. */
@Component
class Subscriptions {

	private static final String COLUMNS = """
			id, shop_id, plan_handle, shopify_subscription_id, usage_line_item_id, status, recurring_price, usage_fee,
			capped_amount, currency_code, test, created_at, activated_at""";

	private final JdbcClient jdbc;

	Subscriptions(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** An active subscription with what charging needs beyond the public record. */
	record Active(AppSubscription subscription, String usageLineItemId) {
	}

	AppSubscription insertPending(ShopId shop, Plan plan, String shopifySubscriptionId, String usageLineItemId,
			boolean test, String confirmationUrl) {
		return jdbc.sql("""
				INSERT INTO billing.subscriptions (shop_id, plan_handle, shopify_subscription_id, usage_line_item_id,
				    recurring_price, usage_fee, capped_amount, currency_code, test, confirmation_url)
				VALUES (:shop, :plan, :gid, :lineItem, :recurring, :fee, :cap, :currency, :test, :url)
				ON CONFLICT (shop_id, shopify_subscription_id) DO UPDATE SET confirmation_url = EXCLUDED.confirmation_url
				RETURNING\s""" + COLUMNS)
				.param("shop", shop.value()).param("plan", plan.handle()).param("gid", shopifySubscriptionId)
				.param("lineItem", usageLineItemId).param("recurring", plan.recurringPrice())
				.param("fee", plan.usageFee()).param("cap", plan.cappedAmount()).param("currency", plan.currencyCode())
				.param("test", test).param("url", confirmationUrl)
				.query(Subscriptions::subscription).single();
	}

	Optional<Active> active(ShopId shop) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM billing.subscriptions WHERE shop_id = :shop AND status = 'ACTIVE'")
				.param("shop", shop.value())
				.query((row, n) -> new Active(subscription(row, n), row.getString("usage_line_item_id"))).optional();
	}

	Optional<AppSubscription> find(ShopId shop, long id) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM billing.subscriptions WHERE shop_id = :shop AND id = :id")
				.param("shop", shop.value()).param("id", id).query(Subscriptions::subscription).optional();
	}

	Optional<String> usageLineItemId(ShopId shop, long id) {
		return jdbc.sql("SELECT usage_line_item_id FROM billing.subscriptions WHERE shop_id = :shop AND id = :id")
				.param("shop", shop.value()).param("id", id).query(String.class).optional();
	}

	/**
	 * Applies a status Shopify reports, unless a newer one was applied already. Activation first cancels any other
	 * active subscription of the shop: Shopify replaces it, and its own cancellation may arrive later or not at all.
	 *
	 * @return the status applied, {@code IGNORED_STALE} or {@code IGNORED_UNKNOWN_SUBSCRIPTION}
	 */
	@Transactional
	String apply(ShopId shop, SubscriptionChange change) {
		Optional<Instant> lastChange = jdbc.sql("""
				SELECT status_changed_at FROM billing.subscriptions
				WHERE shop_id = :shop AND shopify_subscription_id = :gid FOR UPDATE""")
				.param("shop", shop.value()).param("gid", change.shopifySubscriptionId())
				.query((row, n) -> Times.instant(row, "status_changed_at")).optional();
		if (lastChange.isEmpty()) {
			return "IGNORED_UNKNOWN_SUBSCRIPTION";
		}
		if (change.changedAt().isBefore(lastChange.get())) {
			return "IGNORED_STALE";
		}
		if (change.status() == SubscriptionStatus.ACTIVE) {
			jdbc.sql("""
					UPDATE billing.subscriptions SET status = 'CANCELLED', status_changed_at = :at
					WHERE shop_id = :shop AND status = 'ACTIVE' AND shopify_subscription_id <> :gid""")
					.param("shop", shop.value()).param("gid", change.shopifySubscriptionId())
					.param("at", Times.utc(change.changedAt())).update();
		}
		jdbc.sql("""
				UPDATE billing.subscriptions SET status = :status, status_changed_at = :at,
				    activated_at = CASE WHEN :status = 'ACTIVE' THEN coalesce(activated_at, :at) ELSE activated_at END
				WHERE shop_id = :shop AND shopify_subscription_id = :gid""")
				.param("shop", shop.value()).param("gid", change.shopifySubscriptionId())
				.param("status", change.status().name()).param("at", Times.utc(change.changedAt())).update();
		return change.status().name();
	}

	private static AppSubscription subscription(ResultSet row, int n) throws SQLException {
		return new AppSubscription(row.getLong("id"), new ShopId(row.getLong("shop_id")), row.getString("plan_handle"),
				row.getString("shopify_subscription_id"), SubscriptionStatus.valueOf(row.getString("status")),
				row.getBigDecimal("recurring_price"), row.getBigDecimal("usage_fee"), row.getBigDecimal("capped_amount"),
				row.getString("currency_code"), row.getBoolean("test"), Times.instant(row, "created_at"),
				Times.instant(row, "activated_at"));
	}
}
