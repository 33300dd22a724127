package dev.shelf.catalog;

import java.time.Duration;
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

	/**
	 * The id of the shop with this domain, registering it on first sight like {@link #registerOnFirstSight}. Every
	 * authenticated request and every webhook delivery asks it, so each instance remembers the answer for
	 * {@link #ID_REMEMBERED_FOR}: a domain keeps its id for as long as the shop's row exists, and the erasure that
	 * deletes the row ({@link #eraseBatch}) forgets it at once on its own instance, on others within that time.
	 *
	 * @throws IllegalArgumentException if the domain is not a {@code *.myshopify.com} domain
	 */
	ShopId registeredId(String myshopifyDomain);

	/** How long an instance remembers a domain's shop id ({@link #registeredId}). */
	Duration ID_REMEMBERED_FOR = Duration.ofMinutes(10);

	Optional<Shop> find(ShopId id);

	/** The shop with this domain (compared in lower case, as Shopify's domains are), if Shelf knows it. */
	Optional<Shop> findByDomain(String myshopifyDomain);

	/** Shopify says the app was uninstalled ({@code app/uninstalled}); the shop's data stays until Shopify's redact. */
	void markUninstalled(ShopId id, Instant uninstalledAt);

	/** Shopify's current settings of the shop ({@code shop/update}). */
	void updateDetails(ShopId id, ZoneId ianaTimezone, String currencyCode);

	/**
	 * Deletes one batch of the shop's catalog data, for Shopify's {@code shop/redact}: at most {@code batchSize} rows
	 * of one table, in one short transaction, children before parents; the shop's own row goes last. Call it until
	 * it returns {@link ErasedRows#NONE}, and only after the other modules have erased their part, since they know
	 * the shop by this id.
	 */
	ErasedRows eraseBatch(ShopId id, int batchSize);
}
