/**
 * Billing: what Shelf charges merchants, exactly once.
 * <p>
 * Owns the {@code billing} PostgreSQL schema: plans, subscriptions, usage charges and the idempotency keys of
 * GraphQL mutations. It will expose its commands (charge for an order) and events from this package. Depends on
 * {@code catalog} (shops) and {@code migration} (schema ownership).
 * <p>
 * Idempotency keys ({@link dev.shelf.billing.IdempotencyKeys}): the rules of the {@code Idempotency-Key} header
 * (README, "Idempotency-Key"), applied to every GraphQL mutation by the app's HTTP layer. A request claims its
 * (shop, key) with {@code INSERT … ON CONFLICT} → it executes and its response is stored, or a retry gets the stored
 * response, a 409 while the first executes, a 422 for another request under the key → keys expire after 24 h and a
 * scheduled purge deletes them in batches.
 * <p>
 * How data flows through here: an order reaches billing through its public command → a charge row is claimed by a
 * unique key → the provider is called outside any transaction → the outcome is recorded or reconciled later.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "catalog", "migration" })
package dev.shelf.billing;
