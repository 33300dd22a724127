package dev.shelf.billing;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The facts of a Shopify order billing needs, translated from Shopify's payload by the caller.
 *
 * @param customerId Shopify's customer id, kept so a customer's data can be found and redacted; {@code null} for
 *     guest checkouts
 */
public record PlacedOrder(long shopifyOrderId, BigDecimal totalPrice, String currencyCode, Instant placedAt,
		Long customerId) {
}
