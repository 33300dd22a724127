package dev.shelf.catalog;

/** A purchasable version of a product. {@code shopifyVariantId} is {@code null} for a custom product's variant. */
public record ProductVariant(long id, long productId, String title, String sku, Money price, Money compareAtPrice,
		int inventoryQuantity, int position, Long shopifyVariantId) {
}
