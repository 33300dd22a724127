package dev.shelf.billing.internal;

import java.util.List;
import java.util.stream.IntStream;

import dev.shelf.billing.Billing;
import dev.shelf.billing.BillingFixtures;
import dev.shelf.billing.BillingFixtures.TestShop;
import dev.shelf.billing.BillingModuleTest;
import dev.shelf.billing.ChargeState;
import dev.shelf.billing.ChargeTransition;
import dev.shelf.billing.UsageCharge;
import dev.shelf.catalog.Shops;
import dev.shelf.testing.Race;
import dev.shelf.testing.shopify.FakeShopify.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.shelf.billing.BillingFixtures.newOrder;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shopify that misbehaves: every way a send can end, and the reconciler settling what a send left open, with
 * exactly one usage record at Shopify in the end.
 */
@BillingModuleTest
class ReconciliationTests {

	@Autowired
	Billing billing;

	@Autowired
	Shops shops;

	@Autowired
	ChargeReconciler reconciler;

	@Autowired
	JdbcClient jdbc;

	BillingFixtures fixtures;
	TestShop shop;

	@BeforeEach
	void subscribedShop() {
		fixtures = new BillingFixtures(billing, shops);
		shop = fixtures.subscribedShop("reconcile", "test");
	}

	@AfterEach
	void releaseHeldAnswers() {
		shop.atShopify().releaseHeld();
	}

	@Test
	void aTimeoutAfterShopifyRecordedTheChargeEndsSucceededAfterReconciliationWithoutASecondRecord() {
		shop.atShopify().failNext(Fault.TIMEOUT_AFTER_RECORDING);

		long id = billing.chargeForOrder(shop.id(), newOrder()).charge().id();
		UsageCharge unknown = fixtures.awaitState(shop, id, ChargeState.UNKNOWN);
		assertThat(unknown.stateReason()).startsWith("NO_ANSWER");
		assertThat(shop.atShopify().usageRecords()).as("Shopify recorded it before the timeout").hasSize(1);

		reconciler.reconcileDue();

		UsageCharge settled = billing.findCharge(shop.id(), id).orElseThrow();
		assertThat(settled.state()).isEqualTo(ChargeState.SUCCEEDED);
		assertThat(settled.providerRecordId()).isEqualTo(shop.atShopify().usageRecords().get(0).id());
		assertThat(shop.atShopify().usageRecords()).hasSize(1);
		assertThat(shop.atShopify().usageRecordCalls()).as("not sent again: found").isOne();
		assertThat(transitions(id)).extracting(ChargeTransition::to, ChargeTransition::actor).containsExactly(
				org.assertj.core.groups.Tuple.tuple(ChargeState.PENDING, "webhook"),
				org.assertj.core.groups.Tuple.tuple(ChargeState.SUBMITTED, "worker"),
				org.assertj.core.groups.Tuple.tuple(ChargeState.UNKNOWN, "worker"),
				org.assertj.core.groups.Tuple.tuple(ChargeState.SUCCEEDED, "reconciler"));
	}

	@Test
	void aTimeoutBeforeShopifyRecordedTheChargeEndsWithExactlyOneRecordAfterReconciliation() {
		shop.atShopify().failNext(Fault.TIMEOUT_BEFORE_RECORDING);

		long id = billing.chargeForOrder(shop.id(), newOrder()).charge().id();
		fixtures.awaitState(shop, id, ChargeState.UNKNOWN);
		assertThat(shop.atShopify().usageRecords()).isEmpty();

		reconciler.reconcileDue();

		UsageCharge settled = billing.findCharge(shop.id(), id).orElseThrow();
		assertThat(settled.state()).isEqualTo(ChargeState.SUCCEEDED);
		assertThat(shop.atShopify().usageRecords()).singleElement()
				.satisfies(record -> assertThat(record.idempotencyKey()).isEqualTo(settled.idempotencyKey()));
		assertThat(transitions(id)).extracting(ChargeTransition::from, ChargeTransition::to).endsWith(
				org.assertj.core.groups.Tuple.tuple(ChargeState.UNKNOWN, ChargeState.SUBMITTED),
				org.assertj.core.groups.Tuple.tuple(ChargeState.SUBMITTED, ChargeState.SUCCEEDED));
		assertThat(transitions(id).get(transitions(id).size() - 2).reason())
				.contains("sending again with the same idempotency key");
	}

	@Test
	void aLostAnswerAfterRecordingIsUnknownThenSucceededWithOneRecord() {
		shop.atShopify().failNext(Fault.BAD_GATEWAY_AFTER_RECORDING);

		long id = billing.chargeForOrder(shop.id(), newOrder()).charge().id();
		assertThat(fixtures.awaitState(shop, id, ChargeState.UNKNOWN).stateReason()).contains("HTTP 502");
		reconciler.reconcileDue();

		assertThat(billing.findCharge(shop.id(), id).orElseThrow().state()).isEqualTo(ChargeState.SUCCEEDED);
		assertThat(shop.atShopify().usageRecords()).hasSize(1);
	}

	@Test
	void throttledSendsArePendingAgainAndSucceedWithOneRecord() {
		shop.atShopify().failNext(Fault.THROTTLED, Fault.HTTP_429);

		long id = billing.chargeForOrder(shop.id(), newOrder()).charge().id();
		fixtures.awaitState(shop, id, ChargeState.SUCCEEDED);

		assertThat(shop.atShopify().usageRecords()).hasSize(1);
		assertThat(shop.atShopify().usageRecordCalls()).isEqualTo(3);
		assertThat(transitions(id)).extracting(ChargeTransition::to).containsExactly(ChargeState.PENDING,
				ChargeState.SUBMITTED, ChargeState.PENDING, ChargeState.SUBMITTED, ChargeState.PENDING,
				ChargeState.SUBMITTED, ChargeState.SUCCEEDED);
		assertThat(transitions(id).get(2).reason()).startsWith("NOT_RECORDED: THROTTLED");
		assertThat(transitions(id).get(4).reason()).startsWith("NOT_RECORDED: HTTP 429");
	}

	/** A worker that died mid-call leaves its charge SUBMITTED; once its lease ends, the reconciler settles it. */
	@Test
	void aChargeLeftSubmittedByADeadWorkerIsSettledOnceItsLeaseEnds() {
		shop.atShopify().failNext(Fault.TIMEOUT_AFTER_RECORDING);
		long id = billing.chargeForOrder(shop.id(), newOrder()).charge().id();
		fixtures.awaitState(shop, id, ChargeState.UNKNOWN);
		// What the worker's claim had committed before it "died": SUBMITTED, lease running.
		jdbc.sql("UPDATE billing.usage_charges SET state = 'SUBMITTED', next_attempt_at = now() + interval '1 hour' "
				+ "WHERE shop_id = :shop AND id = :id").param("shop", shop.id().value()).param("id", id).update();

		reconciler.reconcileDue();
		assertThat(billing.findCharge(shop.id(), id).orElseThrow().state()).as("lease still running")
				.isEqualTo(ChargeState.SUBMITTED);

		jdbc.sql("UPDATE billing.usage_charges SET next_attempt_at = now() WHERE shop_id = :shop AND id = :id")
				.param("shop", shop.id().value()).param("id", id).update();
		reconciler.reconcileDue();

		assertThat(billing.findCharge(shop.id(), id).orElseThrow().state()).isEqualTo(ChargeState.SUCCEEDED);
		assertThat(shop.atShopify().usageRecords()).hasSize(1);
	}

	/**
	 * Eight reconcilers at once over five open charges (three recorded before their timeout, two not), across more
	 * than one page of Shopify's usage records: each charge is settled exactly once, Shopify ends with five records.
	 */
	@Test
	void concurrentReconcilersSettleEachChargeOnceAndShopifyEndsWithOneRecordPerCharge() throws Exception {
		shop.atShopify().pageSize(2).failNext(Fault.TIMEOUT_AFTER_RECORDING, Fault.TIMEOUT_BEFORE_RECORDING,
				Fault.TIMEOUT_AFTER_RECORDING, Fault.TIMEOUT_BEFORE_RECORDING, Fault.TIMEOUT_AFTER_RECORDING);
		List<Long> ids = IntStream.range(0, 5).mapToObj(i -> {
			long id = billing.chargeForOrder(shop.id(), newOrder()).charge().id();
			fixtures.awaitState(shop, id, ChargeState.UNKNOWN);
			return id;
		}).toList();

		Race.run(8, () -> {
			reconciler.reconcileDue();
			return reconciler.reconcileDue();
		});

		assertThat(ids).allSatisfy(id -> {
			assertThat(billing.findCharge(shop.id(), id).orElseThrow().state()).isEqualTo(ChargeState.SUCCEEDED);
			assertThat(transitions(id)).filteredOn(t -> t.to() == ChargeState.SUCCEEDED).hasSize(1);
		});
		assertThat(shop.atShopify().usageRecords()).hasSize(5)
				.extracting(r -> r.idempotencyKey()).doesNotHaveDuplicates();
	}

	@Test
	void aShopWithoutAccessTokenGetsItsChargeFailedWithTheReasonAndTheBudgetBack() {
		billing.dropAccessToken(shop.id());

		long id = billing.chargeForOrder(shop.id(), newOrder()).charge().id();

		assertThat(fixtures.awaitState(shop, id, ChargeState.FAILED).stateReason()).startsWith("NO_ACCESS_TOKEN");
		assertThat(billing.currentPeriod(shop.subscription()).usedAmount()).isEqualByComparingTo("0");
	}

	private List<ChargeTransition> transitions(long id) {
		return billing.transitions(shop.id(), List.of(id)).get(id);
	}
}
