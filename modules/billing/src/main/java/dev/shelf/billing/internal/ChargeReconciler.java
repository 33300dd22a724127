package dev.shelf.billing.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import dev.shelf.billing.ChargeState;
import dev.shelf.catalog.Shop;
import dev.shelf.catalog.ShopId;
import dev.shelf.catalog.Shops;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Settles the charges whose fate is not known: UNKNOWN ones (Shopify did not answer a send), and SUBMITTED ones whose
 * sender's lease ran out (it died or hung mid-call). For each subscription it asks Shopify for the usage records and
 * matches them by idempotency key: a charge Shopify has is SUCCEEDED; one it has not is sent again with the same key,
 * so even a record Shopify made after answering never becomes a second one.
 * <p>
 * Safe to run concurrently and repeatedly, on any number of threads and instances: charges are claimed with
 * {@code FOR UPDATE SKIP LOCKED} and a lease (their attempt counted), every move is conditional on that claim, and
 * every send carries the charge's idempotency key. Runs on the schedule set in {@link BillingConfiguration}.
 */
@Component
class ChargeReconciler implements Runnable {

	private static final Logger log = LoggerFactory.getLogger(ChargeReconciler.class);

	/** Records created this long before the oldest claimed charge still count: clocks and queues are not exact. */
	private static final Duration CLOCK_MARGIN = Duration.ofDays(1);

	private final UsageCharges charges;
	private final ChargeSubmitter submitter;
	private final ShopifyAdminClient shopify;
	private final AccessTokens tokens;
	private final Shops shops;
	private final BillingMetrics metrics;
	private final BillingProperties properties;

	ChargeReconciler(UsageCharges charges, ChargeSubmitter submitter, ShopifyAdminClient shopify, AccessTokens tokens,
			Shops shops, BillingMetrics metrics, BillingProperties properties) {
		this.charges = charges;
		this.submitter = submitter;
		this.shopify = shopify;
		this.tokens = tokens;
		this.shops = shops;
		this.metrics = metrics;
		this.properties = properties;
	}

	@Override
	public void run() {
		try {
			int claimed;
			do {
				claimed = reconcileDue();
			}
			while (claimed == properties.reconcileBatchSize() && !Thread.currentThread().isInterrupted());
		}
		catch (RuntimeException e) {
			metrics.reconciliationFailed();
			log.error("Billing reconciliation failed; retrying in {}", properties.reconcileInterval(), e);
		}
	}

	/** One round: claims up to a batch of due charges and settles what Shopify can tell about. */
	int reconcileDue() {
		List<UsageCharges.Claim> claims = charges.claimUnsettled(properties.reconcileBatchSize(),
				properties.submitLease());
		Map<Long, List<UsageCharges.Claim>> bySubscription = claims.stream().filter(c -> c.subscriptionId() != null)
				.collect(Collectors.groupingBy(UsageCharges.Claim::subscriptionId, LinkedHashMap::new, Collectors.toList()));
		bySubscription.values().forEach(this::reconcile);
		if (!claims.isEmpty()) {
			log.info("Reconciled {} usage charge(s) of {} subscription(s)", claims.size(), bySubscription.size());
		}
		return claims.size();
	}

	private void reconcile(List<UsageCharges.Claim> claims) {
		ShopId shop = claims.get(0).charge().shop();
		Optional<Shop> tenant = shops.find(shop);
		Optional<String> token = tokens.find(shop);
		if (tenant.isEmpty() || token.isEmpty()) {
			// Nothing can be learnt without a token; the charges stay unsettled (overdue metric, health warning).
			log.warn("Cannot reconcile {} usage charge(s) of shop {}: no access token", claims.size(), shop);
			return;
		}
		Set<String> keys = claims.stream().map(c -> c.charge().idempotencyKey()).collect(Collectors.toSet());
		Instant oldest = claims.stream().map(c -> c.charge().createdAt()).min(Instant::compareTo).orElseThrow();
		ShopifyOutcome<Map<String, ShopifyAdminClient.UsageRecord>> found = shopify.findUsageRecords(
				tenant.get().myshopifyDomain(), token.get(), claims.get(0).shopifySubscriptionId(), keys,
				oldest.minus(CLOCK_MARGIN));
		metrics.shopifyCall("usageRecords", found);
		if (!(found instanceof ShopifyOutcome.Ok<Map<String, ShopifyAdminClient.UsageRecord>> records)) {
			log.warn("Cannot reconcile {} usage charge(s) of shop {} now: {}; their lease ends in {}", claims.size(),
					shop, found, properties.submitLease());
			return;
		}
		for (UsageCharges.Claim claim : claims) {
			ShopifyAdminClient.UsageRecord record = records.value().get(claim.charge().idempotencyKey());
			if (record != null) {
				submitter.move(claim, ChargeState.SUCCEEDED, "reconciler", "found at Shopify as " + record.id()
						+ " (idempotency key " + record.idempotencyKey() + ")", null, record.id());
			}
			else if (submitter.move(claim, ChargeState.SUBMITTED, "reconciler", "not found at Shopify; sending again "
					+ "with the same idempotency key", Instant.now().plus(properties.submitLease()), null)) {
				submitter.send(claim.resent(), "reconciler");
			}
		}
	}
}
