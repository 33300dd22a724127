package dev.shelf.catalog;

import java.util.List;

/** The result of a merchant's product command: the product as it now is, or the reasons nothing changed. */
public record ProductChange(Product product, List<ProductUserError> userErrors) {

	public ProductChange {
		userErrors = List.copyOf(userErrors);
	}

	public static ProductChange done(Product product) {
		return new ProductChange(product, List.of());
	}

	public static ProductChange refused(ProductUserError... errors) {
		return new ProductChange(null, List.of(errors));
	}

	public boolean succeeded() {
		return userErrors.isEmpty();
	}
}
