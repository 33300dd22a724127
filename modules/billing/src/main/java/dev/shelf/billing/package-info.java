/**
 * Billing: what Shelf charges merchants, exactly once.
 * <p>
 * Owns the {@code billing} PostgreSQL schema: plans, subscriptions, usage charges and the idempotency keys of
 * GraphQL mutations. It will expose its commands (charge for an order) and events from this package. Depends on
 * {@code catalog} (shops) and {@code migration} (schema ownership).
 * <p>
 * How data flows through here: an order reaches billing through its public command → a charge row is claimed by a
 * unique key → the provider is called outside any transaction → the outcome is recorded or reconciled later.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "catalog", "migration" })
package dev.shelf.billing;
