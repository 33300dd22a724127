package dev.shelf.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sends deliveries the way Shopify does: raw JSON bytes, signed with the app secret, and Shopify's headers. Each
 * method breaks one thing; {@link #send()} sends it.
 */
public final class ShopifyWebhooks {

	private final HttpClient client = HttpClient.newHttpClient();
	private final int port;
	private final Map<String, String> headers = new LinkedHashMap<>();
	private byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
	private String signature;
	private String method = "POST";

	private ShopifyWebhooks(int port, String topic, String shop) {
		this.port = port;
		headers.put("X-Shopify-Topic", topic);
		headers.put("X-Shopify-Shop-Domain", shop);
		headers.put("X-Shopify-Webhook-Id", UUID.randomUUID().toString());
		headers.put("X-Shopify-API-Version", "2026-10");
		headers.put("X-Shopify-Event-Id", UUID.randomUUID().toString());
		headers.put("X-Shopify-Triggered-At", "2026-11-21T10:00:00.123456789Z");
	}

	public static ShopifyWebhooks delivery(int port, String topic, String shop) {
		return new ShopifyWebhooks(port, topic, shop);
	}

	public ShopifyWebhooks body(String json) {
		this.body = json.getBytes(StandardCharsets.UTF_8);
		return this;
	}

	public ShopifyWebhooks bodyBytes(byte[] bytes) {
		this.body = bytes;
		return this;
	}

	public ShopifyWebhooks webhookId(String webhookId) {
		headers.put("X-Shopify-Webhook-Id", webhookId);
		return this;
	}

	public ShopifyWebhooks signature(String signature) {
		this.signature = signature;
		return this;
	}

	public ShopifyWebhooks withoutHeader(String name) {
		headers.remove(name);
		return this;
	}

	public ShopifyWebhooks method(String method) {
		this.method = method;
		return this;
	}

	public String webhookId() {
		return headers.get("X-Shopify-Webhook-Id");
	}

	public HttpResponse<String> send() {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/webhooks/shopify"))
				.method(method, HttpRequest.BodyPublishers.ofByteArray(body))
				.header("Content-Type", "application/json");
		headers.forEach(request::header);
		String hmac = signature != null ? signature : sign(body, SessionTokens.SECRET);
		if (!hmac.isEmpty()) {
			request.header("X-Shopify-Hmac-Sha256", hmac);
		}
		try {
			return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	/** Signed independently of the production verifier, with the JDK's HMAC. */
	public static String sign(byte[] body, String secret) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return Base64.getEncoder().encodeToString(mac.doFinal(body));
		}
		catch (Exception e) {
			throw new IllegalStateException(e);
		}
	}
}
