/**
 * Billing: what Shelf charges merchants, exactly once.
 * <p>
 * Owns the {@code billing} PostgreSQL schema: orders received, subscriptions to the configured plans, usage periods
 * with their caps, usage charges with every state transition, and the shops' encrypted offline access tokens (the
 * idempotency keys of GraphQL mutations live here too). Exposes {@link dev.shelf.billing.Billing}: the commands the
 * webhooks module calls ({@code chargeForOrder} on {@code orders/create}, {@code applySubscriptionChange} on
 * {@code app_subscriptions/update}, {@code dropAccessToken} on {@code app/uninstalled}) and the queries of its GraphQL
 * API ({@code currentSubscription}, {@code usageCharges}, {@code subscriptionCreate}). Needs
 * {@link dev.shelf.billing.ShopifyAppCredentials} from the application. Depends on {@code catalog} (shops, their
 * time zones) and {@code migration} (schema ownership).
 * <p>
 * Idempotency keys ({@link dev.shelf.billing.IdempotencyKeys}): the rules of the {@code Idempotency-Key} header
 * (README, "Idempotency-Key"), applied to every GraphQL mutation by the app's HTTP layer. A request claims its
 * (shop, key) with {@code INSERT … ON CONFLICT} → it executes and its response is stored, or a retry gets the stored
 * response, a 409 while the first executes, a 422 for another request under the key → keys expire after 24 h and a
 * scheduled purge deletes them in batches.
 * <p>
 * Legacy-tenant import: billing's step {@code billing.recent-orders} ({@code internal.LegacyOrders}) records an imported
 * shop's 50 most recent legacy orders (never charged) and keeps, in {@code billing.legacy_order_imports}, how many older
 * ones are left and a keyset cursor; {@link dev.shelf.billing.Billing#importOlderLegacyOrders} (operators' GraphQL
 * {@code legacyOrdersImportOlder}) imports the next page of them on demand.
 * <p>
 * API rate limits ({@link dev.shelf.billing.ApiThrottle}): each shop's leaky bucket of GraphQL query cost, sized by
 * its plan, one upsert per request at most, none while the instance's lease of the bucket covers it; the app's cost
 * guard calls it.
 * <p>
 * How data flows through here: an order reaches {@code chargeForOrder} → one charge row per (shop, order), its fee
 * reserved under the period's cap in the same short transaction → after commit a worker sends it to Shopify with
 * the charge's idempotency key, outside any transaction → SUCCEEDED/FAILED, or UNKNOWN, which the reconciler settles
 * by asking Shopify.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "catalog", "migration" })
package dev.shelf.billing;
