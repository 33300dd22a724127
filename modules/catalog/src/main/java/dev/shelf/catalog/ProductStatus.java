package dev.shelf.catalog;

import java.util.Locale;

public enum ProductStatus {
	ACTIVE, DRAFT, ARCHIVED;

	/** Shopify sends {@code active}, {@code draft}, {@code archived}. */
	public static ProductStatus fromShopify(String status) {
		return valueOf(status.toUpperCase(Locale.ROOT));
	}
}
