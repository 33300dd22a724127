package dev.shelf.catalog;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.regex.Pattern;

/** An exact amount in a currency. */
public record Money(BigDecimal amount, String currencyCode) {

	// Compiled once: a page of products builds hundreds of these.
	private static final Pattern CURRENCY_CODE = Pattern.compile("[A-Z]{3}");

	public Money {
		Objects.requireNonNull(amount, "amount");
		if (currencyCode == null || !CURRENCY_CODE.matcher(currencyCode).matches()) {
			throw new IllegalArgumentException("Not an ISO 4217 currency code: " + currencyCode);
		}
	}
}
