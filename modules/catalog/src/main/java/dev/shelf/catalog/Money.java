package dev.shelf.catalog;

import java.math.BigDecimal;
import java.util.Objects;

/** An exact amount in a currency. */
public record Money(BigDecimal amount, String currencyCode) {

	public Money {
		Objects.requireNonNull(amount, "amount");
		if (currencyCode == null || !currencyCode.matches("[A-Z]{3}")) {
			throw new IllegalArgumentException("Not an ISO 4217 currency code: " + currencyCode);
		}
	}
}
