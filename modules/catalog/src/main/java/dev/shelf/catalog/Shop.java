package dev.shelf.catalog;

import java.time.Instant;
import java.time.ZoneId;

/**
 * A shop as other modules and the GraphQL API see it.
 *
 * @param myshopifyDomain the shop's permanent {@code *.myshopify.com} domain, Shopify's name for the tenant
 * @param ianaTimezone the zone business periods (billing month, end of day) are computed in
 * @param currencyCode ISO 4217 code of the shop's currency
 * @param importedAt when the shop was imported from the legacy app, or null for a shop that installed Shelf itself
 */
public record Shop(ShopId id, String myshopifyDomain, ZoneId ianaTimezone, String currencyCode, Instant createdAt,
		Instant importedAt) {

	public boolean imported() {
		return importedAt != null;
	}

	/**
	 * Whether Shelf may send this shop's merchant lifecycle mails (welcome, onboarding, trial ending, …). Never for
	 * an imported shop: its merchant installed the legacy app long ago, and such a mail would tell them otherwise.
	 * Shelf sends no mail yet; whatever sends one must ask this first.
	 */
	public boolean receivesLifecycleMails() {
		return !imported();
	}
}
