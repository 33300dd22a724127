/**
 * Webhooks: Shopify's deliveries, verified, stored durably and processed asynchronously.
 * <p>
 * Owns the {@code webhooks} PostgreSQL schema (the inbox). It is the anti-corruption layer: it turns Shopify
 * payloads into calls on the public APIs of {@code catalog} and {@code billing}, so no domain module ever sees a
 * webhook payload.
 * <p>
 * How data flows through here: HMAC verified on the raw body → delivery committed to the inbox → 200 to Shopify →
 * a worker claims it and dispatches it by topic.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "catalog", "billing", "migration" })
package dev.shelf.webhooks;
