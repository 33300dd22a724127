package dev.shelf.webhooks.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Shopify's signature: base64(HMAC-SHA256(raw body, secret)), any of the current and previous secrets. */
class WebhookSignatureTests {

	// Known answer, computed independently: printf '%s' "$BODY" | openssl dgst -sha256 -hmac test-webhook-secret -binary | base64
	private static final String BODY = "{\"id\":1234567890,\"email\":\"customer@example.com\",\"total_price\":\"123.45\"}";
	private static final String SECRET = "test-webhook-secret";
	private static final String EXPECTED = "QNyObTlKbMx2qDlPF/ZOZcBqg5OgPg+2oky3zldc0Gw=";

	private final WebhookSignature signature = new WebhookSignature(() -> List.of(SECRET, "previous-secret"));

	@Test
	void theKnownAnswerVectorVerifies() {
		assertThat(WebhookSignature.sign(bytes(BODY), SECRET)).isEqualTo(EXPECTED);
		assertThat(signature.verifies(bytes(BODY), EXPECTED)).isTrue();
	}

	@Test
	void theSameJsonWrittenDifferentlyDoesNotVerify() {
		// What parse-then-reserialize would produce: same data, different bytes.
		assertThat(signature.verifies(bytes(BODY.replace(":", ": ")), EXPECTED)).isFalse();
	}

	@Test
	void thePreviousSecretVerifiesDuringARotation() {
		assertThat(signature.verifies(bytes(BODY), WebhookSignature.sign(bytes(BODY), "previous-secret"))).isTrue();
	}

	@Test
	void missingBlankAndForeignSignaturesDoNotVerify() {
		assertThat(signature.verifies(bytes(BODY), null)).isFalse();
		assertThat(signature.verifies(bytes(BODY), " ")).isFalse();
		assertThat(signature.verifies(bytes(BODY), WebhookSignature.sign(bytes(BODY), "someone-else"))).isFalse();
		assertThat(signature.verifies(bytes(BODY), EXPECTED.substring(1))).isFalse();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}
}
