package dev.shelf.billing.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.shelf.billing.ChargeState;
import dev.shelf.catalog.Shop;
import dev.shelf.catalog.Shops;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends claimed charges to Shopify and records how each send ended. Never inside a transaction: the charge was
 * committed SUBMITTED by its claim before the call, and the outcome is recorded after it, each in a statement (or
 * short transaction) of its own.
 * <ul>
 * <li>recorded → SUCCEEDED with Shopify's record id;</li>
 * <li>refused (userErrors, 4xx) → FAILED, its amount released under the cap;</li>
 * <li>certainly not recorded (throttled, unreachable) → PENDING again after Retry-After or a backoff; FAILED after
 * {@code max-submit-attempts};</li>
 * <li>no answer (timeout after sending, 5xx) → UNKNOWN: never sent again blindly; the reconciler asks Shopify.</li>
 * </ul>
 */
@Component
class ChargeSubmitter {

	private static final Logger log = LoggerFactory.getLogger(ChargeSubmitter.class);

	private final UsageCharges charges;
	private final UsagePeriods periods;
	private final AccessTokens tokens;
	private final ShopifyAdminClient shopify;
	private final Shops shops;
	private final BillingMetrics metrics;
	private final BillingProperties properties;
	private final TransactionTemplate transaction;

	ChargeSubmitter(UsageCharges charges, UsagePeriods periods, AccessTokens tokens, ShopifyAdminClient shopify,
			Shops shops, BillingMetrics metrics, BillingProperties properties, PlatformTransactionManager transactions) {
		this.charges = charges;
		this.periods = periods;
		this.tokens = tokens;
		this.shopify = shopify;
		this.shops = shops;
		this.metrics = metrics;
		this.properties = properties;
		this.transaction = new TransactionTemplate(transactions);
	}

	/** @return whether a charge was due (and has now been sent) */
	boolean submitNext() {
		Optional<UsageCharges.Claim> claimed = charges.claimNextPending(properties.submitLease());
		claimed.ifPresent(claim -> {
			metrics.moved(ChargeState.SUBMITTED, "worker");
			send(claim, "worker");
		});
		return claimed.isPresent();
	}

	/** Sends a SUBMITTED charge (with its idempotency key) and records the outcome. */
	void send(UsageCharges.Claim claim, String actor) {
		if (claim.state() != ChargeState.SUBMITTED) {
			throw new IllegalStateException("Only a SUBMITTED charge is sent, not " + claim.state());
		}
		Optional<Shop> shop = shops.find(claim.charge().shop());
		Optional<String> token = tokens.find(claim.charge().shop());
		if (shop.isEmpty() || token.isEmpty() || claim.usageLineItemId() == null) {
			fail(claim, actor, "NO_ACCESS_TOKEN: Shelf holds no Shopify access token for the shop (app uninstalled?) "
					+ "or the charge has no subscription line item; nothing was sent");
			return;
		}
		ShopifyOutcome<String> outcome = shopify.createUsageRecord(shop.get().myshopifyDomain(), token.get(),
				claim.usageLineItemId(), claim.charge().amount(), claim.charge().currencyCode(),
				claim.charge().description(), claim.charge().idempotencyKey());
		metrics.shopifyCall("appUsageRecordCreate", outcome);
		record(claim, actor, outcome);
	}

	private void record(UsageCharges.Claim claim, String actor, ShopifyOutcome<String> outcome) {
		if (outcome instanceof ShopifyOutcome.Ok<String> ok) {
			move(claim, ChargeState.SUCCEEDED, actor, "recorded by Shopify as " + ok.value(), null, ok.value());
		}
		else if (outcome instanceof ShopifyOutcome.Rejected<String> rejected) {
			if (rejected.reason().startsWith("HTTP 401")) {
				tokens.drop(claim.charge().shop()); // revoked: the next request of the merchant obtains a new one
			}
			fail(claim, actor, "REJECTED: " + rejected.reason());
		}
		else if (outcome instanceof ShopifyOutcome.NotDone<String> notDone) {
			if (claim.attempts() >= properties.maxSubmitAttempts()) {
				fail(claim, actor, "GAVE_UP: not recorded after " + claim.attempts() + " attempts; last: "
						+ notDone.reason());
			}
			else {
				Duration backoff = properties.retryDelay(claim.attempts());
				Duration wait = notDone.retryAfter().compareTo(backoff) > 0 ? notDone.retryAfter() : backoff;
				move(claim, ChargeState.PENDING, actor, "NOT_RECORDED: " + notDone.reason() + "; sending again in "
						+ wait, Instant.now().plus(wait), null);
			}
		}
		else {
			String reason = ((ShopifyOutcome.NoAnswer<String>) outcome).reason();
			log.warn("Usage charge {} of shop {}: Shopify did not answer ({}); the reconciler will ask Shopify",
					claim.charge().id(), claim.charge().shop(), reason);
			move(claim, ChargeState.UNKNOWN, actor, "NO_ANSWER: " + reason, Instant.now().plus(
					properties.reconcileDelay()), null);
		}
	}

	/** Moves the charge to FAILED and gives its amount back to the period, together. */
	void fail(UsageCharges.Claim claim, String actor, String reason) {
		boolean moved = Boolean.TRUE.equals(transaction.execute(status -> {
			boolean done = charges.move(claim, ChargeState.FAILED, actor, reason, null, null);
			if (done && claim.subscriptionId() != null) {
				periods.release(claim.charge().shop(), claim.subscriptionId(), claim.periodStartsAt(),
						claim.charge().amount());
			}
			return done;
		}));
		counted(claim, ChargeState.FAILED, actor, moved);
	}

	boolean move(UsageCharges.Claim claim, ChargeState to, String actor, String reason, Instant nextAttemptAt,
			String recordId) {
		return counted(claim, to, actor, charges.move(claim, to, actor, reason, nextAttemptAt, recordId));
	}

	private boolean counted(UsageCharges.Claim claim, ChargeState to, String actor, boolean moved) {
		if (moved) {
			metrics.moved(to, actor);
		}
		else {
			log.info("Usage charge {} was moved or re-claimed by someone else meanwhile; {} leaves it alone",
					claim.charge().id(), actor);
		}
		return moved;
	}
}
