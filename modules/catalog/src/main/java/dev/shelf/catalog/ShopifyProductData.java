package dev.shelf.catalog;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A Shopify product as Shopify sent it (webhook or Admin API), translated by the caller into plain values. The
 * catalog never sees a Shopify payload; {@code rawJson} is kept verbatim for audit and debugging only.
 *
 * @param updatedAt Shopify's {@code updated_at}: an update older than the stored one is stale and ignored
 * @param status Shopify's status, {@code active}, {@code draft} or {@code archived}
 */
public record ShopifyProductData(long shopifyId, String title, String bodyHtml, String vendor, String productType,
		String handle, String status, List<String> tags, Instant updatedAt, List<Variant> variants, String rawJson) {

	public ShopifyProductData {
		// PostgreSQL keeps microseconds: comparing a finer updated_at with the stored one would call an exact
		// redelivery newer (or older) than itself.
		updatedAt = updatedAt.truncatedTo(ChronoUnit.MICROS);
		tags = List.copyOf(tags);
		variants = List.copyOf(variants);
	}

	/** A Shopify variant; its price is in the shop's currency. */
	public record Variant(long shopifyVariantId, String title, String sku, BigDecimal price, BigDecimal compareAtPrice,
			int inventoryQuantity, int position) {
	}
}
