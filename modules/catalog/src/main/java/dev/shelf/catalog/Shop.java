package dev.shelf.catalog;

import java.time.Instant;
import java.time.ZoneId;

/**
 * A shop as other modules and the GraphQL API see it.
 *
 * @param myshopifyDomain the shop's permanent {@code *.myshopify.com} domain, Shopify's name for the tenant
 * @param ianaTimezone the zone business periods (billing month, end of day) are computed in
 * @param currencyCode ISO 4217 code of the shop's currency
 */
public record Shop(ShopId id, String myshopifyDomain, ZoneId ianaTimezone, String currencyCode, Instant createdAt) {
}
