package dev.shelf.catalog;

/**
 * One product inside a bundle, by Shelf product id; 0 when an old bundle names a Shopify product Shelf never
 * mirrored (its component is then shown as missing).
 */
public record BundleComponent(long productId, int quantity) {

	public BundleComponent {
		if (quantity < 1) {
			throw new IllegalArgumentException("A bundle holds at least one of each component, got " + quantity);
		}
	}
}
