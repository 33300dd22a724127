package dev.shelf.billing;

import java.math.BigDecimal;

/**
 * A billing plan, from configuration ({@code shelf.billing.plans.<handle>.*}): a recurring price every 30 days, a
 * fee per order the shop receives, and the most usage fees can add up to in one 30-day period.
 */
public record Plan(String handle, String name, BigDecimal recurringPrice, BigDecimal usageFee,
		BigDecimal cappedAmount, String currencyCode, String usageTerms) {
}
