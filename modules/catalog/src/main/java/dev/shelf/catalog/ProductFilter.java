package dev.shelf.catalog;

import java.util.List;

/** Conditions a listed product must all meet; {@code null} / empty means "any". */
public record ProductFilter(ProductStatus status, ProductKind kind, List<String> titleWords) {

	public static final ProductFilter NONE = new ProductFilter(null, null, List.of());

	public ProductFilter {
		titleWords = List.copyOf(titleWords);
	}
}
