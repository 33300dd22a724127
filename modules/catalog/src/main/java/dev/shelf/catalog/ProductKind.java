package dev.shelf.catalog;

/** Where a product comes from. */
public enum ProductKind {
	/** Mirrored from Shopify; the mirror is updated by webhooks, the merchant's edits are kept over it. */
	SHOPIFY,
	/** Created by the merchant in Shelf; exists only here. */
	CUSTOM
}
