package dev.shelf.catalog;

/**
 * The fields of a product a merchant can edit. For a Shopify product an edited field is remembered, and later
 * updates from Shopify leave it as the merchant set it.
 */
public enum ProductField {
	TITLE, DESCRIPTION_HTML, VENDOR, PRODUCT_TYPE, STATUS, TAGS, HANDLE
}
