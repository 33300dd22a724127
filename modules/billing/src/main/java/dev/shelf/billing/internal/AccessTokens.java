package dev.shelf.billing.internal;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import dev.shelf.billing.ShopifyAppCredentials;
import dev.shelf.billing.ShopifySessionToken;
import dev.shelf.catalog.ShopId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.encrypt.BytesEncryptor;
import org.springframework.stereotype.Component;

/**
 * The shops' offline access tokens, encrypted at rest (AES-256-GCM, {@link TokenEncryption}). The plaintext is
 * {@code <shop id>:<token>}, so a ciphertext copied to another shop's row is refused instead of used.
 * <p>
 * A token is obtained by Shopify's token exchange from the session token of a request the merchant made (today:
 * {@code subscriptionCreate}, the first billing call that needs one), and dropped when the app is uninstalled or
 * Shopify rejects it.
 */
@Component
class AccessTokens {

	private final JdbcClient jdbc;
	private final BytesEncryptor encryptor;
	private final ShopifyAdminClient shopify;
	private final ShopifyAppCredentials credentials;

	AccessTokens(JdbcClient jdbc, TokenEncryption encryption, ShopifyAdminClient shopify,
			ShopifyAppCredentials credentials) {
		this.jdbc = jdbc;
		this.encryptor = encryption.encryptor();
		this.shopify = shopify;
		this.credentials = credentials;
	}

	Optional<String> find(ShopId shop) {
		return jdbc.sql("SELECT encrypted_token FROM billing.access_tokens WHERE shop_id = :shop")
				.param("shop", shop.value()).query((row, n) -> row.getBytes(1)).optional()
				.map(ciphertext -> decrypt(shop, ciphertext));
	}

	/**
	 * The shop's token; exchanged for the session token (and stored) when none is held.
	 *
	 * @param sessionToken may be {@code null}: then only a stored token is returned
	 */
	ShopifyOutcome<String> obtain(ShopId shop, String shopDomain, ShopifySessionToken sessionToken) {
		Optional<String> stored = find(shop);
		if (stored.isPresent()) {
			return new ShopifyOutcome.Ok<>(stored.get());
		}
		if (sessionToken == null) {
			return new ShopifyOutcome.Rejected<>("no access token is held for the shop, and no session token was given "
					+ "to obtain one");
		}
		ShopifyOutcome<ShopifyAdminClient.AccessToken> exchanged = shopify.exchangeToken(shopDomain,
				sessionToken.value(), credentials.clientId(), credentials.clientSecret());
		if (!(exchanged instanceof ShopifyOutcome.Ok<ShopifyAdminClient.AccessToken> ok)) {
			return exchanged.failure();
		}
		store(shop, ok.value().token(), ok.value().scope());
		return new ShopifyOutcome.Ok<>(ok.value().token());
	}

	void store(ShopId shop, String token, String scope) {
		jdbc.sql("""
				INSERT INTO billing.access_tokens (shop_id, encrypted_token, scope) VALUES (:shop, :token, :scope)
				ON CONFLICT (shop_id) DO UPDATE SET encrypted_token = EXCLUDED.encrypted_token, scope = EXCLUDED.scope,
				    obtained_at = now()""")
				.param("shop", shop.value())
				.param("token", encryptor.encrypt((shop.value() + ":" + token).getBytes(StandardCharsets.UTF_8)))
				.param("scope", scope).update();
	}

	void drop(ShopId shop) {
		jdbc.sql("DELETE FROM billing.access_tokens WHERE shop_id = :shop").param("shop", shop.value()).update();
	}

	private String decrypt(ShopId shop, byte[] ciphertext) {
		String plaintext = new String(encryptor.decrypt(ciphertext), StandardCharsets.UTF_8);
		String prefix = shop.value() + ":";
		if (!plaintext.startsWith(prefix)) {
			throw new IllegalStateException("The stored access token of shop " + shop + " belongs to another shop");
		}
		return plaintext.substring(prefix.length());
	}
}
