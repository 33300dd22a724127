package dev.shelf.catalog;

import java.time.Instant;
import java.util.List;

/** A product as last received from Shopify: Shopify's values only, never the merchant's edits. */
public record ShopifyProduct(long id, long shopifyId, long productId, String title, String bodyHtml, String handle,
		String vendor, String productType, List<String> tags, Instant shopifyUpdatedAt, Instant deletedAt) {

	public ShopifyProduct {
		tags = List.copyOf(tags);
	}
}
