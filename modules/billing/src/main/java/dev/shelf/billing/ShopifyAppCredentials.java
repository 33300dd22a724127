package dev.shelf.billing;

/**
 * The app's client id (API key) and client secret, which Shopify's token exchange requires. Provided by the
 * application, which owns the app's credentials.
 */
public interface ShopifyAppCredentials {

	String clientId();

	String clientSecret();
}
