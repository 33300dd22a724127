package dev.shelf.billing;

/**
 * The session token (a JWT) of the current request, already verified by the application. Billing exchanges it for
 * the shop's offline access token when it holds none (Shopify token exchange). GraphQL controllers receive it as a
 * method parameter, like {@code ShopId}.
 */
public record ShopifySessionToken(String value) {

	@Override
	public String toString() {
		return "ShopifySessionToken[redacted]";
	}
}
