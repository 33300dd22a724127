package dev.shelf.catalog.graphql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.shelf.catalog.BadUserInputException;
import dev.shelf.catalog.ProductFilter;
import dev.shelf.catalog.ProductKind;
import dev.shelf.catalog.ProductStatus;

/**
 * The {@code query} argument of {@code products}, a small subset of Shopify's search syntax:
 * {@code status:<status>}, {@code kind:<kind>} and free words the title must contain, all required.
 * An unknown {@code field:} or value is refused rather than silently ignored.
 */
final class ProductSearchSyntax {

	private ProductSearchSyntax() {
	}

	static ProductFilter parse(String query) {
		if (query == null || query.isBlank()) {
			return ProductFilter.NONE;
		}
		ProductStatus status = null;
		ProductKind kind = null;
		List<String> words = new ArrayList<>();
		for (String term : query.strip().split("\\s+")) {
			int colon = term.indexOf(':');
			if (colon < 0) {
				words.add(term);
				continue;
			}
			String field = term.substring(0, colon).toLowerCase(Locale.ROOT);
			String value = term.substring(colon + 1).toUpperCase(Locale.ROOT);
			switch (field) {
				case "status" -> status = valueOf(ProductStatus.class, value, term);
				case "kind" -> kind = valueOf(ProductKind.class, value, term);
				case "title" -> {
					if (colon + 1 < term.length()) {
						words.add(term.substring(colon + 1));
					}
				}
				default -> throw new BadUserInputException("Unknown search field '" + field
						+ "' in query; use status:, kind:, title: or plain words");
			}
		}
		return new ProductFilter(status, kind, words);
	}

	private static <E extends Enum<E>> E valueOf(Class<E> type, String value, String term) {
		try {
			return Enum.valueOf(type, value);
		}
		catch (IllegalArgumentException e) {
			throw new BadUserInputException("Unknown value in '" + term + "'");
		}
	}
}
