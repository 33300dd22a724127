package dev.shelf.billing;

import java.util.List;

/** What was wrong with a billing request; nothing changed. */
public record BillingUserError(List<String> field, String message, Code code) {

	public enum Code {
		/** No plan has the given handle. */
		PLAN_NOT_FOUND,
		/** Shelf holds no access token for the shop and had no session token to obtain one. */
		ACCESS_TOKEN_MISSING,
		/** Shopify refused the request; the message is Shopify's. */
		SHOPIFY_REJECTED,
		/** Shopify could not be reached or did not answer in time; trying again is safe. */
		SHOPIFY_UNAVAILABLE
	}
}
