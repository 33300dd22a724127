package dev.shelf.billing;

import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.shelf.billing.BillingFixtures.TestShop;
import dev.shelf.catalog.Shops;
import dev.shelf.testing.Race;
import dev.shelf.testing.shopify.FakeShopify;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.shelf.billing.BillingFixtures.PATIENCE;
import static dev.shelf.billing.BillingFixtures.newOrder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Charging for orders: one charge per (shop, order) however the order arrives, the cap held under races, every
 * transition recorded, nothing sent before the caller's transaction commits.
 */
@BillingModuleTest
class UsageChargeTests {

	@Autowired
	Billing billing;

	@Autowired
	Shops shops;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PlatformTransactionManager transactions;

	BillingFixtures fixtures;

	@BeforeEach
	void fixtures() {
		fixtures = new BillingFixtures(billing, shops);
	}

	@Test
	void anOrderIsChargedTheFeeOfThePlanAndRecordedAtShopifyWithItsIdempotencyKey() {
		TestShop shop = fixtures.subscribedShop("charge", "test");
		PlacedOrder order = newOrder();

		ChargeResult result = billing.chargeForOrder(shop.id(), order);

		assertThat(result.created()).isTrue();
		assertThat(result.outcome()).isEqualTo("PENDING");
		UsageCharge charge = fixtures.awaitState(shop, result.charge().id(), ChargeState.SUCCEEDED);
		assertThat(charge.amount()).isEqualByComparingTo("1.00");
		assertThat(charge.shopifyOrderId()).isEqualTo(order.shopifyOrderId());
		assertThat(charge.idempotencyKey()).isEqualTo("shelf-order-" + order.shopifyOrderId());
		List<FakeShopify.UsageRecord> records = shop.atShopify().usageRecords();
		assertThat(records).singleElement().satisfies(record -> {
			assertThat(record.id()).isEqualTo(charge.providerRecordId());
			assertThat(record.idempotencyKey()).isEqualTo(charge.idempotencyKey());
			assertThat(record.amount()).isEqualByComparingTo("1.00");
			assertThat(record.currencyCode()).isEqualTo("USD");
		});
		assertThat(shop.atShopify().exchangedWithClientId()).isEqualTo("shelf-billing-test-client");
	}

	@Test
	void everyTransitionIsRecordedWithWhoAndWhy() {
		TestShop shop = fixtures.subscribedShop("transitions", "test");
		long id = billing.chargeForOrder(shop.id(), newOrder()).charge().id();
		fixtures.awaitState(shop, id, ChargeState.SUCCEEDED);

		List<ChargeTransition> transitions = billing.transitions(shop.id(), List.of(id)).get(id);

		assertThat(transitions).extracting(ChargeTransition::from, ChargeTransition::to, ChargeTransition::actor)
				.containsExactly(
						org.assertj.core.groups.Tuple.tuple(null, ChargeState.PENDING, "webhook"),
						org.assertj.core.groups.Tuple.tuple(ChargeState.PENDING, ChargeState.SUBMITTED, "worker"),
						org.assertj.core.groups.Tuple.tuple(ChargeState.SUBMITTED, ChargeState.SUCCEEDED, "worker"));
		assertThat(transitions).allSatisfy(t -> assertThat(t.reason()).isNotBlank());
		assertThat(transitions.get(2).reason()).contains(shop.atShopify().usageRecords().get(0).id());
		assertThat(transitions).extracting(ChargeTransition::at).isSorted();
	}

	@Test
	void duplicateAndConcurrentDeliveriesOfAnOrderCreateOneChargeAndOneUsageRecord() throws Exception {
		TestShop shop = fixtures.subscribedShop("duplicates", "test");
		PlacedOrder order = newOrder();

		List<ChargeResult> results = Race.run(20, () -> billing.chargeForOrder(shop.id(), order));
		ChargeResult later = billing.chargeForOrder(shop.id(), order);

		assertThat(results).filteredOn(ChargeResult::created).hasSize(1);
		assertThat(results).extracting(r -> r.charge().id()).containsOnly(later.charge().id());
		assertThat(later.outcome()).isEqualTo("DUPLICATE");
		assertThat(count("billing.usage_charges", shop)).isOne();
		assertThat(count("billing.orders", shop)).isOne();
		fixtures.awaitState(shop, later.charge().id(), ChargeState.SUCCEEDED);
		assertThat(shop.atShopify().usageRecords()).hasSize(1);
		assertThat(period(shop).usedAmount()).isEqualByComparingTo("1.00");
	}

	/**
	 * Fifty orders at once against a cap of twenty fees: exactly twenty charges hold the budget, thirty fail with
	 * the reason, the period's total is the cap, and Shopify gets twenty records.
	 */
	@Test
	void theCapHoldsUnderAFiftyWayRace() throws Exception {
		TestShop shop = fixtures.subscribedShop("cap-race", "test");
		AtomicLong orderIds = new AtomicLong(1);

		List<ChargeResult> results = Race.run(50, () -> billing.chargeForOrder(shop.id(),
				BillingFixtures.order(orderIds.getAndIncrement())));

		assertThat(results).allMatch(ChargeResult::created);
		assertThat(results).filteredOn(r -> r.charge().state() == ChargeState.PENDING).hasSize(20);
		assertThat(results).filteredOn(r -> r.charge().state() == ChargeState.FAILED).hasSize(30)
				.allSatisfy(r -> {
					assertThat(r.outcome()).isEqualTo("FAILED_CAP_EXCEEDED");
					assertThat(r.charge().stateReason()).startsWith("CAP_EXCEEDED: 1.00 USD would take the usage")
							.contains("over its cap of 20.0000 USD");
				});
		assertThat(period(shop).usedAmount()).isEqualByComparingTo("20.00");
		await().atMost(PATIENCE).until(() -> count("billing.usage_charges", shop, "SUCCEEDED") == 20);
		List<FakeShopify.UsageRecord> records = shop.atShopify().usageRecords();
		assertThat(records).hasSize(20);
		assertThat(records.stream().map(FakeShopify.UsageRecord::amount).reduce(BigDecimal.ZERO, BigDecimal::add))
				.isEqualByComparingTo("20.00");
	}

	@Test
	void aChargeShopifyRefusesFailsAndGivesItsAmountBackToThePeriod() {
		TestShop shop = fixtures.subscribedShop("refused", "test");
		shop.atShopify().failNext(FakeShopify.Fault.USER_ERRORS);

		long refused = billing.chargeForOrder(shop.id(), newOrder()).charge().id();
		UsageCharge failed = fixtures.awaitState(shop, refused, ChargeState.FAILED);

		assertThat(failed.stateReason()).startsWith("REJECTED: userErrors").contains("Subscription line item not found");
		assertThat(failed.settledAt()).isNotNull();
		assertThat(period(shop).usedAmount()).isEqualByComparingTo("0");
		assertThat(shop.atShopify().usageRecords()).isEmpty();
	}

	@Test
	void aShopWithoutActiveSubscriptionGetsAFailedChargeThatSaysWhy() {
		TestShop shop = fixtures.shopWithoutSubscription("unsubscribed");

		ChargeResult result = billing.chargeForOrder(shop.id(), newOrder());

		assertThat(result.outcome()).isEqualTo("FAILED_NO_ACTIVE_SUBSCRIPTION");
		assertThat(result.charge().stateReason()).startsWith("NO_ACTIVE_SUBSCRIPTION");
		assertThat(billing.transitions(shop.id(), List.of(result.charge().id())).get(result.charge().id()))
				.singleElement().satisfies(t -> assertThat(t.to()).isEqualTo(ChargeState.FAILED));
	}

	@Test
	void feesAreRoundedHalfEvenToTheCurrencysMinorUnit() {
		TestShop shop = fixtures.subscribedShop("rounding", "odd");

		ChargeResult result = billing.chargeForOrder(shop.id(), newOrder());

		assertThat(shop.subscription().usageFee()).isEqualByComparingTo("0.12"); // 0.125 → 0.12, not 0.13
		assertThat(result.charge().amount()).isEqualByComparingTo("0.12");
	}

	/**
	 * The webhook calls chargeForOrder inside its own transaction: a charge is sent only once that commits, and a
	 * rolled-back one is never sent.
	 */
	@Test
	void aChargeIsSentOnlyAfterTheCallersTransactionCommits() {
		TestShop shop = fixtures.subscribedShop("after-commit", "test");
		TransactionTemplate transaction = new TransactionTemplate(transactions);

		transaction.executeWithoutResult(status -> {
			billing.chargeForOrder(shop.id(), newOrder());
			status.setRollbackOnly();
		});
		long committed = transaction.execute(status -> billing.chargeForOrder(shop.id(), newOrder()).charge().id());

		fixtures.awaitState(shop, committed, ChargeState.SUCCEEDED);
		assertThat(count("billing.usage_charges", shop)).isOne();
		assertThat(shop.atShopify().usageRecordCalls()).isOne();
		assertThat(period(shop).usedAmount()).isEqualByComparingTo("1.00");
	}

	@Test
	void chargesArePagedWithKeysetCursorsInCreationOrder() {
		TestShop shop = fixtures.subscribedShop("paging", "test");
		List<Long> ids = java.util.stream.IntStream.range(0, 5)
				.mapToObj(i -> billing.chargeForOrder(shop.id(), newOrder()).charge().id()).toList();

		UsageChargePage first = billing.usageCharges(shop.id(), null, null, 2, true);
		UsageChargePage second = billing.usageCharges(shop.id(), first.charges().get(1).id(), null, 2, true);
		UsageChargePage last = billing.usageCharges(shop.id(), null, null, 2, false);

		assertThat(first.charges()).extracting(UsageCharge::id).containsExactly(ids.get(0), ids.get(1));
		assertThat(first.hasPreviousPage()).isFalse();
		assertThat(first.hasNextPage()).isTrue();
		assertThat(second.charges()).extracting(UsageCharge::id).containsExactly(ids.get(2), ids.get(3));
		assertThat(second.hasPreviousPage()).isTrue();
		assertThat(last.charges()).extracting(UsageCharge::id).containsExactly(ids.get(3), ids.get(4));
		assertThat(last.hasNextPage()).isFalse();
		assertThat(last.hasPreviousPage()).isTrue();
		assertThat(billing.usageCharges(fixtures.shopWithoutSubscription("other").id(), null, null, 10, true).charges())
				.as("another shop sees none of them").isEmpty();
	}

	private UsagePeriod period(TestShop shop) {
		return billing.currentPeriod(billing.currentSubscription(shop.id()).orElseThrow());
	}

	private long count(String table, TestShop shop) {
		return jdbc.sql("SELECT count(*) FROM " + table + " WHERE shop_id = :shop").param("shop", shop.id().value())
				.query(Long.class).single();
	}

	private long count(String table, TestShop shop, String state) {
		return jdbc.sql("SELECT count(*) FROM " + table + " WHERE shop_id = :shop AND state = :state")
				.param("shop", shop.id().value()).param("state", state).query(Long.class).single();
	}

}
