package dev.shelf.billing;

import java.time.Instant;

/**
 * Shopify's news about a subscription ({@code app_subscriptions/update}), translated by the caller.
 *
 * @param shopifySubscriptionId {@code gid://shopify/AppSubscription/<id>}
 * @param changedAt Shopify's {@code updated_at}: an update older than the one applied last is ignored
 */
public record SubscriptionChange(String shopifySubscriptionId, SubscriptionStatus status, Instant changedAt) {
}
