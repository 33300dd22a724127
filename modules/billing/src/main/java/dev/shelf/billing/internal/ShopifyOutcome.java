package dev.shelf.billing.internal;

import java.time.Duration;

/**
 * How a call to Shopify ended, in the four ways that call for different actions: it worked; Shopify certainly did not
 * act on it and it may be sent again later (throttled, or the request never left); Shopify refused it for good; or
 * there was no answer, so Shopify may or may not have acted (a timeout after sending, a 5xx) and only asking Shopify
 * can tell.
 */
sealed interface ShopifyOutcome<T> {

	record Ok<T>(T value) implements ShopifyOutcome<T> {
	}

	record NotDone<T>(String reason, Duration retryAfter) implements ShopifyOutcome<T> {
	}

	record Rejected<T>(String reason) implements ShopifyOutcome<T> {
	}

	record NoAnswer<T>(String reason) implements ShopifyOutcome<T> {
	}

	/** The same failure, for a caller expecting another type of value; only for outcomes that are not {@link Ok}. */
	@SuppressWarnings("unchecked")
	default <R> ShopifyOutcome<R> failure() {
		if (this instanceof Ok) {
			throw new IllegalStateException("Not a failure: " + this);
		}
		return (ShopifyOutcome<R>) this;
	}

	/** For logs, metrics and charge reasons: {@code ok}, {@code not_done}, {@code rejected}, {@code no_answer}. */
	default String kind() {
		if (this instanceof Ok) {
			return "ok";
		}
		if (this instanceof NotDone) {
			return "not_done";
		}
		return this instanceof Rejected ? "rejected" : "no_answer";
	}
}
