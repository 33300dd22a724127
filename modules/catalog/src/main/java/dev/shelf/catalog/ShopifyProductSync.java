package dev.shelf.catalog;

/** What a Shopify update did to the catalog. */
public record ShopifyProductSync(Outcome outcome, long productId) {

	public enum Outcome {
		/** First sight of the Shopify product: mirror and product created. */
		CREATED,
		/** The mirror took Shopify's newer values; the product every field the merchant did not edit. */
		UPDATED,
		/** Same {@code updated_at} as stored: a duplicate delivery, nothing changed. */
		DUPLICATE,
		/** Older than what is stored (updates arrive out of order): ignored. */
		STALE,
		/** A delete: mirror marked deleted, product archived. */
		DELETED
	}
}
