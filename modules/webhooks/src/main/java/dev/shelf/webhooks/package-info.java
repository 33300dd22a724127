/**
 * Webhooks: Shopify's deliveries, verified, stored durably and processed asynchronously; Shopify's privacy requests.
 * <p>
 * Owns the {@code webhooks} PostgreSQL schema (the inbox, the privacy requests). It is the anti-corruption layer: it
 * turns Shopify payloads into calls on the public APIs of {@code catalog} and {@code billing}, so no domain module
 * ever sees a webhook payload. It exposes no Java API beyond {@link dev.shelf.webhooks.ShopifyAppSecrets} (what it
 * needs from the application); its operator GraphQL fields ({@code graphql/webhooks/operations.graphqls}, all
 * {@code @operatorOnly}) list and replay deliveries and show privacy requests.
 * <p>
 * How data flows through here: HMAC verified on the raw body → delivery committed to the inbox → 200 to Shopify →
 * a worker claims it and dispatches it by topic → failures retried, then dead-lettered for an operator to replay.
 * {@code shop/redact} is recorded, then carried out batch by batch in every module by {@code ShopErasures}.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "catalog", "billing", "migration" })
package dev.shelf.webhooks;
