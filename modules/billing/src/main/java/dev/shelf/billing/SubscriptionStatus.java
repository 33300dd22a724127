package dev.shelf.billing;

/** Shopify's {@code AppSubscriptionStatus}, as far as Shelf distinguishes it. */
public enum SubscriptionStatus {
	/** Created, waiting for the merchant's approval at the confirmation URL. */
	PENDING,
	/** Approved: usage is charged to it. */
	ACTIVE,
	DECLINED, EXPIRED, FROZEN, CANCELLED
}
