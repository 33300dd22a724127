package dev.shelf.billing;

import java.math.BigDecimal;
import java.time.Instant;

import dev.shelf.catalog.ShopId;

/**
 * What Shelf charges a shop for one order, as a usage record of its Shopify subscription.
 *
 * @param idempotencyKey sent with every attempt, derived from the order: Shopify never records a resend twice
 * @param stateReason why the charge is in its state, e.g. {@code CAP_EXCEEDED: ...} for a FAILED one
 * @param providerRecordId Shopify's id of the usage record, once known
 */
public record UsageCharge(long id, ShopId shop, long shopifyOrderId, BigDecimal amount, String currencyCode,
		String description, ChargeState state, String stateReason, String idempotencyKey, String providerRecordId,
		Instant createdAt, Instant settledAt) {
}
