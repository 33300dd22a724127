package dev.shelf.app.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The app's Shopify credentials, from the environment under the names the Shopify CLI uses
 * ({@code SHOPIFY_API_KEY}, {@code SHOPIFY_API_SECRET}, and {@code SHOPIFY_API_SECRET_OLD} while a rotated secret
 * is still in use).
 */
@ConfigurationProperties("shelf.shopify")
record ShopifyProperties(String apiKey, String apiSecret, String apiSecretOld) {
}
