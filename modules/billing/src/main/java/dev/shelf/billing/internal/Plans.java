package dev.shelf.billing.internal;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.shelf.billing.Plan;
import org.springframework.stereotype.Component;

/** The configured plans, checked once at start-up: a plan with a missing or negative amount stops the application. */
@Component
class Plans {

	private static final Pattern HANDLE = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

	private final Map<String, Plan> byHandle;

	Plans(BillingProperties properties) {
		this.byHandle = properties.plans().entrySet().stream()
				.collect(java.util.stream.Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> plan(e.getKey(), e.getValue())));
	}

	List<Plan> all() {
		return byHandle.values().stream().sorted(Comparator.comparing(Plan::recurringPrice).thenComparing(Plan::handle))
				.toList();
	}

	Optional<Plan> find(String handle) {
		return Optional.ofNullable(byHandle.get(handle));
	}

	private static Plan plan(String handle, BillingProperties.PlanProperties p) {
		if (!HANDLE.matcher(handle).matches()) {
			throw new IllegalStateException("Plan handle '" + handle + "' must match " + HANDLE.pattern());
		}
		String where = "shelf.billing.plans." + handle + ".";
		String currency = Objects.requireNonNull(p.currency(), where + "currency");
		BigDecimal fee = amount(p.usageFee(), currency, where + "usage-fee");
		BigDecimal cap = amount(p.cappedAmount(), currency, where + "capped-amount");
		if (fee.signum() == 0 || cap.compareTo(fee) < 0) {
			// Shopify takes no usage record of zero; a cap below one fee would refuse every charge.
			throw new IllegalStateException(where + "usage-fee must be above zero and at most " + where
					+ "capped-amount, got " + fee + " and " + cap);
		}
		return new Plan(handle, p.name() != null ? p.name() : handle,
				amount(p.recurringPrice(), currency, where + "recurring-price"), fee, cap, currency,
				p.usageTerms() != null ? p.usageTerms() : "Fee per order received");
	}

	private static BigDecimal amount(BigDecimal value, String currency, String property) {
		if (value == null || value.signum() < 0) {
			throw new IllegalStateException(property + " must be set and not negative, got " + value);
		}
		return Amounts.round(value, currency);
	}
}
