package dev.shelf.catalog;

import java.util.List;

/** A page of products in list order, and whether the list goes on either side of it. */
public record ProductPage(List<Product> products, boolean hasPreviousPage, boolean hasNextPage) {

	public ProductPage {
		products = List.copyOf(products);
	}
}
