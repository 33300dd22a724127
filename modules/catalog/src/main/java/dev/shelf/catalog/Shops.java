package dev.shelf.catalog;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import java.util.regex.Pattern;

/** The registry of tenants. */
public interface Shops {

	/** Shopify's permanent shop domains; anything else is not a shop (and not a tenant Shelf creates). */
	Pattern MYSHOPIFY_DOMAIN = Pattern.compile("[a-z0-9][a-z0-9-]*\\.myshopify\\.com");

	/**
	 * Returns the shop with this domain, registering it if Shelf has never seen it. Safe under concurrent first
	 * sightings: every caller gets the same shop and one row exists.
	 *
	 * @throws IllegalArgumentException if the domain is not a {@code *.myshopify.com} domain
	 */
	Shop registerOnFirstSight(String myshopifyDomain);

	Optional<Shop> find(ShopId id);

	/** Shopify says the app was uninstalled ({@code app/uninstalled}); the shop's data stays until Shopify's redact. */
	void markUninstalled(ShopId id, Instant uninstalledAt);

	/** Shopify's current settings of the shop ({@code shop/update}). */
	void updateDetails(ShopId id, ZoneId ianaTimezone, String currencyCode);
}
