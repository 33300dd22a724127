package dev.shelf.webhooks.internal;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.shelf.webhooks.ShopifyAppSecrets;
import org.springframework.stereotype.Component;

/**
 * Shopify's {@code X-Shopify-Hmac-Sha256}: base64(HMAC-SHA256(raw body, app secret)). Computed over the bytes
 * exactly as received — never over JSON parsed and written again, which changes them and fails every delivery —
 * and compared in constant time. The JDK's {@link Mac} does the cryptography.
 */
@Component
class WebhookSignature {

	private final ShopifyAppSecrets secrets;

	WebhookSignature(ShopifyAppSecrets secrets) {
		this.secrets = secrets;
	}

	boolean verifies(byte[] body, String signature) {
		if (signature == null || signature.isBlank()) {
			return false;
		}
		byte[] given = signature.strip().getBytes(StandardCharsets.US_ASCII);
		boolean verified = false;
		for (String secret : secrets.webhookSigningSecrets()) {
			// Every secret is tried, so the time taken does not tell which one matched.
			verified |= MessageDigest.isEqual(sign(body, secret).getBytes(StandardCharsets.US_ASCII), given);
		}
		return verified;
	}

	static String sign(byte[] body, String secret) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return Base64.getEncoder().encodeToString(mac.doFinal(body));
		}
		catch (NoSuchAlgorithmException | InvalidKeyException e) {
			throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
		}
	}
}
