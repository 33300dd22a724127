package dev.shelf.billing;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.shelf.catalog.ErasedRows;
import dev.shelf.catalog.ShopId;

/** What Shelf charges the shops it bills, exactly once. */
public interface Billing {

	/** At most this many charges per page of {@link #usageCharges}. */
	int MAX_PAGE_SIZE = 250;

	/**
	 * Records an order the shop received, once per (shop, Shopify order id) however often it is reported.
	 *
	 * @return {@code true} the first time the order is recorded
	 */
	boolean recordOrder(ShopId shop, PlacedOrder order);

	/**
	 * Records the order (as {@link #recordOrder}) and creates its usage charge, at most one per (shop, order) however
	 * many deliveries race: the charge's amount (the fee of the shop's plan) is reserved under the current period's cap
	 * in the caller's transaction, or the charge is FAILED at once with the reason ({@code CAP_EXCEEDED},
	 * {@code NO_ACTIVE_SUBSCRIPTION}). Nothing is sent to Shopify here: a worker does that after the caller's
	 * transaction has committed, so it may run inside a transaction that holds locks.
	 */
	ChargeResult chargeForOrder(ShopId shop, PlacedOrder order);

	/** The plans a shop can subscribe to, by handle. */
	List<Plan> plans();

	/**
	 * Asks Shopify for a subscription to the plan (recurring line and capped usage line) and returns the URL where
	 * the merchant approves it; the subscription is PENDING until Shopify reports it active. Calls Shopify: never call
	 * it inside a transaction.
	 *
	 * @param sessionToken the request's session token, exchanged for an offline access token when Shelf holds none
	 *     for the shop; may be {@code null} when one is held
	 */
	SubscriptionCreation createSubscription(ShopId shop, String planHandle, ShopifySessionToken sessionToken);

	/**
	 * Applies Shopify's news about a subscription ({@code app_subscriptions/update}).
	 *
	 * @return the status applied, or {@code IGNORED_STALE} / {@code IGNORED_UNKNOWN_SUBSCRIPTION}
	 */
	String applySubscriptionChange(ShopId shop, SubscriptionChange change);

	/** The shop's active subscription, if any. */
	Optional<AppSubscription> currentSubscription(ShopId shop);

	Optional<AppSubscription> findSubscription(ShopId shop, long id);

	/** The usage period of the subscription that contains the present moment. */
	UsagePeriod currentPeriod(AppSubscription subscription);

	/**
	 * A page of the shop's charges in creation order: {@code size} charges after the charge id {@code after}
	 * (forward), or before the charge id {@code before} (backward); both bounds may be {@code null}.
	 */
	UsageChargePage usageCharges(ShopId shop, Long after, Long before, int size, boolean forward);

	Optional<UsageCharge> findCharge(ShopId shop, long id);

	/** The transitions of each of the charges, oldest first; one statement for all. */
	Map<Long, List<ChargeTransition>> transitions(ShopId shop, Collection<Long> chargeIds);

	/** Forgets the shop's access token ({@code app/uninstalled}): Shelf can no longer act for the shop. */
	void dropAccessToken(ShopId shop);

	/**
	 * What billing holds about one customer of the shop ({@code customers/data_request}): the orders recorded with
	 * this customer id or one of these order ids.
	 */
	List<PlacedOrder> ordersOfCustomer(ShopId shop, long customerId, Collection<Long> shopifyOrderIds);

	/**
	 * Anonymises one customer of the shop ({@code customers/redact}): orders keep what billing needs (amount, date)
	 * and lose the customer id.
	 */
	ErasedRows redactCustomer(ShopId shop, long customerId, Collection<Long> shopifyOrderIds);

	/**
	 * Imports the next page of an imported shop's older orders from the legacy app: the legacy-tenant import brought
	 * only its most recent ones ({@code shelf.billing.legacy-recent-orders}, 50), newest first; each call continues
	 * where the last one stopped, older and older, until none is left. Idempotent per order. Reads the legacy database
	 * ({@code shelf.migration.legacy.*}).
	 *
	 * @throws IllegalArgumentException when the shop was not imported from the legacy app
	 * @throws IllegalStateException when no legacy database is configured
	 */
	LegacyOrdersImport importOlderLegacyOrders(ShopId shop, int maxOrders);

	/**
	 * Deletes one batch of the shop's billing data ({@code shop/redact}): at most {@code batchSize} rows of one table
	 * in one short transaction. Call it until it returns {@link ErasedRows#NONE}.
	 */
	ErasedRows eraseBatch(ShopId shop, int batchSize);
}
