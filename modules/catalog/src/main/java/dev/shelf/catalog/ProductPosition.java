package dev.shelf.catalog;

import java.time.Instant;

/**
 * Where a product stands in a sorted list: the value of the sort key and the id that breaks ties. A keyset cursor
 * holds one; the next page starts strictly after it, so rows inserted or deleted elsewhere never shift a page.
 *
 * @param title set when sorted by {@link ProductSortKey#TITLE}
 * @param updatedAt set when sorted by {@link ProductSortKey#UPDATED_AT}
 */
public record ProductPosition(ProductSortKey sortKey, String title, Instant updatedAt, long id) {

	public static ProductPosition of(ProductSortKey sortKey, Product product) {
		return switch (sortKey) {
			case ID -> new ProductPosition(sortKey, null, null, product.id());
			case TITLE -> new ProductPosition(sortKey, product.title(), null, product.id());
			case UPDATED_AT -> new ProductPosition(sortKey, null, product.updatedAt(), product.id());
		};
	}
}
