package dev.shelf.billing.internal;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * {@code billing} in {@code /actuator/health}: WARNING while charges have been unsettled for longer than
 * {@code shelf.billing.unsettled-threshold} (Shopify unreachable, a shop without token, a bug) — money an operator
 * must look at, but no reason to take the instance out of service, so the application maps WARNING to HTTP 200.
 */
@Component("billing")
class BillingHealth implements HealthIndicator {

	static final Status WARNING = new Status("WARNING", "Usage charges unsettled for longer than the threshold");

	private final UsageCharges charges;
	private final BillingProperties properties;

	BillingHealth(UsageCharges charges, BillingProperties properties) {
		this.charges = charges;
		this.properties = properties;
	}

	@Override
	public Health health() {
		long overdue = charges.overdueCount(properties.unsettledThreshold());
		return Health.status(overdue > 0 ? WARNING : Status.UP).withDetail("overdue", overdue)
				.withDetail("unsettled", charges.unsettledCount())
				.withDetail("unsettledThreshold", properties.unsettledThreshold().toString()).build();
	}
}
