package dev.shelf.webhooks;

import java.util.List;

/**
 * The secrets Shopify signs webhooks with: the app's API secret, and the previous one while a rotation is under
 * way. Provided by the application, which owns the app's credentials.
 */
public interface ShopifyAppSecrets {

	/** Current secret first. */
	List<String> webhookSigningSecrets();
}
