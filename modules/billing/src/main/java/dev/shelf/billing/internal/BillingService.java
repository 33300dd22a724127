package dev.shelf.billing.internal;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.shelf.billing.AppSubscription;
import dev.shelf.billing.Billing;
import dev.shelf.billing.BillingUserError;
import dev.shelf.billing.ChargeResult;
import dev.shelf.billing.ChargeState;
import dev.shelf.billing.ChargeTransition;
import dev.shelf.billing.LegacyOrdersImport;
import dev.shelf.billing.PlacedOrder;
import dev.shelf.billing.Plan;
import dev.shelf.billing.ShopifySessionToken;
import dev.shelf.billing.SubscriptionChange;
import dev.shelf.billing.SubscriptionCreation;
import dev.shelf.billing.UsageCharge;
import dev.shelf.billing.UsageChargePage;
import dev.shelf.billing.UsagePeriod;
import dev.shelf.catalog.ErasedRows;
import dev.shelf.catalog.Shop;
import dev.shelf.catalog.ShopId;
import dev.shelf.catalog.Shops;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

@Service
class BillingService implements Billing {

	private static final Logger log = LoggerFactory.getLogger(BillingService.class);

	private final OrderRecords orders;
	private final UsageCharges charges;
	private final UsagePeriods periods;
	private final Subscriptions subscriptions;
	private final Plans plans;
	private final AccessTokens tokens;
	private final ShopifyAdminClient shopify;
	private final Shops shops;
	private final ChargeWorkers workers;
	private final BillingMetrics metrics;
	private final BillingProperties properties;
	private final ShopErasure erasure;
	private final LegacyOrders legacyOrders;

	BillingService(OrderRecords orders, UsageCharges charges, UsagePeriods periods, Subscriptions subscriptions,
			Plans plans, AccessTokens tokens, ShopifyAdminClient shopify, Shops shops, ChargeWorkers workers,
			BillingMetrics metrics, BillingProperties properties, ShopErasure erasure, LegacyOrders legacyOrders) {
		this.erasure = erasure;
		this.legacyOrders = legacyOrders;
		this.orders = orders;
		this.charges = charges;
		this.periods = periods;
		this.subscriptions = subscriptions;
		this.plans = plans;
		this.tokens = tokens;
		this.shopify = shopify;
		this.shops = shops;
		this.workers = workers;
		this.metrics = metrics;
		this.properties = properties;
	}

	@Override
	@Transactional
	public boolean recordOrder(ShopId shop, PlacedOrder order) {
		return orders.recordOrder(shop, order);
	}

	/**
	 * Insert first, then reserve: the unique (shop, order) key makes every duplicate wait for the first insert and
	 * then insert nothing, so only the one charge that exists reserves the fee. All in the caller's transaction (or
	 * a new one), which holds the period's row lock until it ends.
	 */
	@Override
	@Transactional
	public ChargeResult chargeForOrder(ShopId shop, PlacedOrder order) {
		orders.recordOrder(shop, order);
		Optional<UsageCharge> earlier = charges.findByOrder(shop, order.shopifyOrderId());
		if (earlier.isPresent()) {
			return duplicate(earlier.get());
		}
		Shop tenant = shops.find(shop).orElseThrow(() -> new IllegalArgumentException("No shop " + shop));
		String description = "Shelf: order " + order.shopifyOrderId();
		String key = "shelf-order-" + order.shopifyOrderId();
		Optional<Subscriptions.Active> active = subscriptions.active(shop);
		if (active.isEmpty()) {
			return created(charges.insert(new UsageCharges.NewCharge(shop, order.shopifyOrderId(), null, null,
					BigDecimal.ZERO, tenant.currencyCode(), description, key), ChargeState.FAILED, "webhook",
					"NO_ACTIVE_SUBSCRIPTION: the shop has no active subscription; the order is not billed"), shop, order);
		}
		AppSubscription subscription = active.get().subscription();
		UsagePeriods.Bounds period = UsagePeriods.bounds(subscription.activatedAt(), Instant.now(),
				tenant.ianaTimezone());
		BigDecimal amount = Amounts.round(subscription.usageFee(), subscription.currencyCode());
		Optional<UsageCharge> inserted = charges.insert(new UsageCharges.NewCharge(shop, order.shopifyOrderId(),
				subscription.id(), period.startsAt(), amount, subscription.currencyCode(), description, key),
				ChargeState.PENDING, "webhook", "order received; fee of plan " + subscription.planHandle() + " reserved");
		if (inserted.isEmpty()) {
			return created(inserted, shop, order);
		}
		if (periods.reserve(shop, subscription.id(), period, subscription.cappedAmount(), subscription.currencyCode(),
				amount)) {
			wakeWorkersAfterCommit();
			return created(inserted, shop, order);
		}
		UsageCharges.Claim unsent = new UsageCharges.Claim(inserted.get(), subscription.id(), period.startsAt(), 0,
				subscription.shopifySubscriptionId(), active.get().usageLineItemId());
		charges.move(unsent, ChargeState.FAILED, "webhook", "CAP_EXCEEDED: " + amount + " " + subscription.currencyCode()
				+ " would take the usage of the period from " + period.startsAt() + " over its cap of "
				+ subscription.cappedAmount() + " " + subscription.currencyCode(), null, null);
		return created(charges.find(shop, inserted.get().id()), shop, order);
	}

	private ChargeResult created(Optional<UsageCharge> charge, ShopId shop, PlacedOrder order) {
		if (charge.isEmpty()) {
			// A concurrent delivery of the same order inserted it first; it has committed, so it is visible now.
			return duplicate(charges.findByOrder(shop, order.shopifyOrderId()).orElseThrow());
		}
		ChargeResult result = new ChargeResult(charge.get(), true);
		metrics.created(result.outcome());
		return result;
	}

	private ChargeResult duplicate(UsageCharge charge) {
		metrics.created("DUPLICATE");
		return new ChargeResult(charge, false);
	}

	/** The worker sends the charge once it is committed; were it woken before, it would not see it yet. */
	private void wakeWorkersAfterCommit() {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					workers.wakeUp();
				}
			});
		}
		else {
			workers.wakeUp();
		}
	}

	@Override
	public List<Plan> plans() {
		return plans.all();
	}

	@Override
	public SubscriptionCreation createSubscription(ShopId shop, String planHandle, ShopifySessionToken sessionToken) {
		Optional<Plan> plan = plans.find(planHandle);
		if (plan.isEmpty()) {
			return SubscriptionCreation.refused(new BillingUserError(List.of("planHandle"), "No plan has the handle '"
					+ planHandle + "'", BillingUserError.Code.PLAN_NOT_FOUND));
		}
		Shop tenant = shops.find(shop).orElseThrow(() -> new IllegalArgumentException("No shop " + shop));
		ShopifyOutcome<String> token = tokens.obtain(shop, tenant.myshopifyDomain(), sessionToken);
		metrics.shopifyCall("tokenExchange", token);
		if (!(token instanceof ShopifyOutcome.Ok<String> accessToken)) {
			return SubscriptionCreation.refused(refusal(token, BillingUserError.Code.ACCESS_TOKEN_MISSING,
					"Shelf could not obtain an access token for the shop"));
		}
		ShopifyOutcome<ShopifyAdminClient.CreatedSubscription> created = shopify.createSubscription(
				tenant.myshopifyDomain(), accessToken.value(), plan.get(),
				properties.returnUrl().replace("{shop}", tenant.myshopifyDomain()), properties.testCharges());
		metrics.shopifyCall("appSubscriptionCreate", created);
		if (!(created instanceof ShopifyOutcome.Ok<ShopifyAdminClient.CreatedSubscription> ok)) {
			if (created instanceof ShopifyOutcome.Rejected<?> rejected && rejected.reason().startsWith("HTTP 401")) {
				tokens.drop(shop); // revoked or expired: the next request exchanges its session token for a new one
			}
			return SubscriptionCreation.refused(refusal(created, BillingUserError.Code.SHOPIFY_REJECTED,
					"Shopify did not create the subscription"));
		}
		AppSubscription subscription = subscriptions.insertPending(shop, plan.get(), ok.value().subscriptionId(),
				ok.value().usageLineItemId(), properties.testCharges(), ok.value().confirmationUrl());
		log.info("Subscription {} to plan {} created for shop {}; waiting for the merchant's approval",
				subscription.shopifySubscriptionId(), planHandle, tenant.myshopifyDomain());
		return new SubscriptionCreation(ok.value().confirmationUrl(), subscription, List.of());
	}

	private static BillingUserError refusal(ShopifyOutcome<?> outcome, BillingUserError.Code rejectedCode,
			String what) {
		if (outcome instanceof ShopifyOutcome.Rejected<?> rejected) {
			return new BillingUserError(null, what + ": " + rejected.reason(), rejectedCode);
		}
		String reason = outcome instanceof ShopifyOutcome.NotDone<?> notDone ? notDone.reason()
				: ((ShopifyOutcome.NoAnswer<?>) outcome).reason();
		return new BillingUserError(null, what + " (" + reason + "); try again", BillingUserError.Code.SHOPIFY_UNAVAILABLE);
	}

	@Override
	public String applySubscriptionChange(ShopId shop, SubscriptionChange change) {
		return subscriptions.apply(shop, change);
	}

	@Override
	public Optional<AppSubscription> currentSubscription(ShopId shop) {
		return subscriptions.active(shop).map(Subscriptions.Active::subscription);
	}

	@Override
	public Optional<AppSubscription> findSubscription(ShopId shop, long id) {
		return subscriptions.find(shop, id);
	}

	@Override
	public UsagePeriod currentPeriod(AppSubscription subscription) {
		Instant anchor = subscription.activatedAt() != null ? subscription.activatedAt() : subscription.createdAt();
		Shop tenant = shops.find(subscription.shop()).orElseThrow();
		UsagePeriods.Bounds bounds = UsagePeriods.bounds(anchor, Instant.now(), tenant.ianaTimezone());
		return periods.find(subscription.shop(), subscription.id(), bounds.startsAt())
				.orElseGet(() -> new UsagePeriod(bounds.startsAt(), bounds.endsAt(), subscription.cappedAmount(),
						BigDecimal.ZERO.setScale(4), subscription.currencyCode()));
	}

	@Override
	public UsageChargePage usageCharges(ShopId shop, Long after, Long before, int size, boolean forward) {
		if (size < 0 || size > MAX_PAGE_SIZE) {
			throw new IllegalArgumentException("A page holds 0 to " + MAX_PAGE_SIZE + " charges, not " + size);
		}
		List<UsageCharge> rows = charges.page(shop, after, before, size, forward);
		boolean more = rows.size() > size;
		List<UsageCharge> page = new java.util.ArrayList<>(more ? rows.subList(0, size) : rows);
		if (!forward) {
			java.util.Collections.reverse(page);
		}
		return forward
				? new UsageChargePage(page, after != null && charges.exists(shop, after, true), more)
				: new UsageChargePage(page, more, before != null && charges.exists(shop, before, false));
	}

	@Override
	public Optional<UsageCharge> findCharge(ShopId shop, long id) {
		return charges.find(shop, id);
	}

	@Override
	public Map<Long, List<ChargeTransition>> transitions(ShopId shop, Collection<Long> chargeIds) {
		return charges.transitions(shop, chargeIds);
	}

	@Override
	public void dropAccessToken(ShopId shop) {
		tokens.drop(shop);
	}

	@Override
	public List<PlacedOrder> ordersOfCustomer(ShopId shop, long customerId, Collection<Long> shopifyOrderIds) {
		return orders.ordersOfCustomer(shop, customerId, shopifyOrderIds);
	}

	@Override
	public ErasedRows redactCustomer(ShopId shop, long customerId, Collection<Long> shopifyOrderIds) {
		return orders.redactCustomer(shop, customerId, shopifyOrderIds);
	}

	/** Charges' audit trail first, then charges, periods, subscriptions, the token, and the orders last. */
	@Override
	@Transactional
	public LegacyOrdersImport importOlderLegacyOrders(ShopId shop, int maxOrders) {
		return legacyOrders.importOlder(shop, maxOrders);
	}

	@Override
	public ErasedRows eraseBatch(ShopId shop, int batchSize) {
		return erasure.eraseBatch(shop, batchSize);
	}
}
