package dev.shelf.billing;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One 30-day usage period of a subscription.
 *
 * @param usedAmount what charges of the period have reserved (pending, sent or succeeded; failed ones give theirs
 *     back)
 */
public record UsagePeriod(Instant startsAt, Instant endsAt, BigDecimal cappedAmount, BigDecimal usedAmount,
		String currencyCode) {

	public BigDecimal remainingAmount() {
		return cappedAmount.subtract(usedAmount);
	}
}
