package dev.shelf.catalog;

public enum ProductSortKey {
	ID, TITLE, UPDATED_AT
}
