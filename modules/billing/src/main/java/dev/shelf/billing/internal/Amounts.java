package dev.shelf.billing.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/** Money as Shopify charges it: rounded half-even to the currency's minor unit (cents; none for JPY). */
final class Amounts {

	private Amounts() {
	}

	static BigDecimal round(BigDecimal amount, String currencyCode) {
		int digits = Currency.getInstance(currencyCode).getDefaultFractionDigits();
		return amount.setScale(digits < 0 ? 2 : digits, RoundingMode.HALF_EVEN);
	}
}
