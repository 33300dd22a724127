package dev.shelf.billing.internal;

import dev.shelf.billing.ChargeState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * Charges counted as they are created (by outcome) and as they move (by new state and actor), Shopify calls by
 * operation and outcome; gauges of the unsettled charges and of those unsettled for longer than the threshold, read
 * from the database so that every instance agrees.
 */
@Component
class BillingMetrics {

	private final MeterRegistry registry;

	BillingMetrics(MeterRegistry registry, UsageCharges charges, BillingProperties properties) {
		this.registry = registry;
		Gauge.builder("shelf.billing.charges.unsettled", charges, UsageCharges::unsettledCount)
				.description("Usage charges PENDING, SUBMITTED or UNKNOWN").register(registry);
		Gauge.builder("shelf.billing.charges.overdue", charges, c -> c.overdueCount(properties.unsettledThreshold()))
				.description("Usage charges unsettled for longer than shelf.billing.unsettled-threshold")
				.register(registry);
	}

	void created(String outcome) {
		Counter.builder("shelf.billing.charges.created").description("Usage charges by how their order was taken in")
				.tag("outcome", outcome).register(registry).increment();
	}

	void moved(ChargeState to, String actor) {
		Counter.builder("shelf.billing.charges.transitions").description("Changes of usage charge states")
				.tag("to", to.name()).tag("actor", actor).register(registry).increment();
	}

	void shopifyCall(String operation, ShopifyOutcome<?> outcome) {
		Counter.builder("shelf.billing.shopify.calls").description("Calls to Shopify's Admin API by outcome")
				.tag("operation", operation).tag("outcome", outcome.kind()).register(registry).increment();
	}

	void reconciliationFailed() {
		Counter.builder("shelf.billing.reconciliation.failures").description("Reconciliation rounds that failed")
				.register(registry).increment();
	}
}
