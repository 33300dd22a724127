package dev.shelf.catalog;

import java.math.BigDecimal;
import java.util.List;

/**
 * The fields of a product a merchant creates or changes; {@code null} means "not given" (left as it is on update).
 * {@code variants} and {@code bundleComponents} replace the whole list when given.
 */
public record ProductInput(String title, String descriptionHtml, String handle, String vendor, String productType,
		ProductStatus status, List<String> tags, List<VariantInput> variants, List<BundleComponentInput> bundleComponents) {

	public record VariantInput(String title, String sku, BigDecimal price, BigDecimal compareAtPrice,
			Integer inventoryQuantity) {
	}

	/** {@code productId} is a Shelf product id; a component of another shop or a missing one is an error. */
	public record BundleComponentInput(long productId, int quantity) {
	}
}
