package dev.shelf.billing;

import java.math.BigDecimal;
import java.time.Instant;

import dev.shelf.catalog.ShopId;

/**
 * A shop's subscription to a plan, with the plan's terms as the merchant approved them.
 *
 * @param shopifySubscriptionId Shopify's global id, {@code gid://shopify/AppSubscription/<id>}
 * @param activatedAt when it became active; usage periods of 30 days start at midnight of that day in the shop's
 *     time zone
 */
public record AppSubscription(long id, ShopId shop, String planHandle, String shopifySubscriptionId,
		SubscriptionStatus status, BigDecimal recurringPrice, BigDecimal usageFee, BigDecimal cappedAmount,
		String currencyCode, boolean test, Instant createdAt, Instant activatedAt) {
}
