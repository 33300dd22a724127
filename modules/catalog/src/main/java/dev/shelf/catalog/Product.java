package dev.shelf.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A product as the merchant sees it. For a {@link ProductKind#SHOPIFY} product each field holds the merchant's
 * value where they edited it ({@link #merchantEditedFields}), Shopify's otherwise.
 */
public record Product(long id, ShopId shopId, ProductKind kind, String title, String descriptionHtml, String handle,
		String vendor, String productType, ProductStatus status, List<String> tags, Set<ProductField> merchantEditedFields,
		Instant createdAt, Instant updatedAt, long version) {

	public Product {
		tags = List.copyOf(tags);
		merchantEditedFields = Set.copyOf(merchantEditedFields);
	}
}
