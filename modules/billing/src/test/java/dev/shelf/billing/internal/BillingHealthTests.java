package dev.shelf.billing.internal;

import dev.shelf.billing.Billing;
import dev.shelf.billing.BillingFixtures;
import dev.shelf.billing.BillingFixtures.TestShop;
import dev.shelf.billing.BillingModuleTest;
import dev.shelf.billing.ChargeState;
import dev.shelf.catalog.Shops;
import dev.shelf.testing.shopify.FakeShopify.Fault;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.shelf.billing.BillingFixtures.newOrder;
import static org.assertj.core.api.Assertions.assertThat;

/** A charge left unsettled longer than the threshold shows up in a gauge and turns billing's health to WARNING. */
@BillingModuleTest
class BillingHealthTests {

	@Autowired
	Billing billing;

	@Autowired
	Shops shops;

	@Autowired
	BillingHealth health;

	@Autowired
	MeterRegistry metrics;

	@Autowired
	ChargeReconciler reconciler;

	@Autowired
	JdbcClient jdbc;

	@Test
	void anOverdueUnsettledChargeRaisesTheGaugeAndAHealthWarningUntilItIsSettled() {
		TestShop shop = new BillingFixtures(billing, shops).subscribedShop("overdue", "test");
		shop.atShopify().failNext(Fault.TIMEOUT_BEFORE_RECORDING);
		long id = billing.chargeForOrder(shop.id(), newOrder()).charge().id();
		new BillingFixtures(billing, shops).awaitState(shop, id, ChargeState.UNKNOWN);
		double overdueBefore = metrics.get("shelf.billing.charges.overdue").gauge().value();
		// Two hours old, past the 1 h threshold; its next reconciliation not yet due.
		jdbc.sql("""
				UPDATE billing.usage_charges SET created_at = now() - interval '2 hours',
				    next_attempt_at = now() + interval '1 hour' WHERE shop_id = :shop AND id = :id""")
				.param("shop", shop.id().value()).param("id", id).update();

		Health warning = health.health();

		assertThat(warning.getStatus().getCode()).isEqualTo("WARNING");
		assertThat((Long) warning.getDetails().get("overdue")).isPositive();
		assertThat(metrics.get("shelf.billing.charges.overdue").gauge().value()).isEqualTo(overdueBefore + 1);

		jdbc.sql("UPDATE billing.usage_charges SET next_attempt_at = now() WHERE shop_id = :shop AND id = :id")
				.param("shop", shop.id().value()).param("id", id).update();
		shop.atShopify().releaseHeld();
		reconciler.reconcileDue();

		assertThat(billing.findCharge(shop.id(), id).orElseThrow().state()).isEqualTo(ChargeState.SUCCEEDED);
		assertThat(metrics.get("shelf.billing.charges.overdue").gauge().value()).isEqualTo(overdueBefore);
		assertThat(metrics.get("shelf.billing.charges.transitions").tag("to", "SUCCEEDED").tag("actor", "reconciler")
				.counter().count()).isPositive();
	}
}
