package dev.shelf.catalog;

import java.util.List;

/** Why a product command changed nothing; {@code field} is the path to the input at fault, if one is. */
public record ProductUserError(List<String> field, String message, Code code) {

	public enum Code {
		BLANK, INVALID, TOO_LONG, TAKEN, NOT_FOUND, CONFLICT, SHOPIFY_PRODUCT_NOT_EDITABLE_THIS_WAY, IN_USE
	}

	public static ProductUserError of(Code code, String message, String... field) {
		return new ProductUserError(field.length == 0 ? null : List.of(field), message, code);
	}
}
