package dev.shelf.billing;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The value of a client's {@code Idempotency-Key} header: 1 to {@value #MAX_LENGTH} printable ASCII characters
 * (a UUID is the usual choice). The IETF draft's structured-field form, the key in double quotes, is accepted too and
 * means the same key.
 */
public record IdempotencyKey(String value) {

	public static final int MAX_LENGTH = 255;
	private static final Pattern PRINTABLE_ASCII = Pattern.compile("[\\x20-\\x7E]{1," + MAX_LENGTH + "}");

	public IdempotencyKey {
		if (value == null || !PRINTABLE_ASCII.matcher(value).matches() || value.isBlank()) {
			throw new IllegalArgumentException("An Idempotency-Key is 1 to " + MAX_LENGTH
					+ " printable ASCII characters (a UUID, for instance)");
		}
	}

	/** @throws IllegalArgumentException with a message for the client when the header is not a valid key */
	public static IdempotencyKey fromHeader(String header) {
		String value = header == null ? null : header.strip();
		if (value != null && value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
			value = value.substring(1, value.length() - 1);
		}
		return new IdempotencyKey(value);
	}

	/** What the store's unique index holds instead of the text (DESIGN.md §2: long text is indexed through a hash). */
	public byte[] sha256() {
		return Sha256.digest().digest(value.getBytes(StandardCharsets.US_ASCII));
	}
}
