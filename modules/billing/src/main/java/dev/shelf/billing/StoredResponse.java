package dev.shelf.billing;

import java.util.Arrays;

/**
 * The response of an idempotent request as it is stored and replayed to its retries: the HTTP status, the
 * {@code Content-Type} and the body, byte for byte. Other headers are not replayed (a request id, for instance,
 * belongs to the request that carries it).
 */
public record StoredResponse(int status, String contentType, byte[] body) {

	public StoredResponse {
		if (status < 100 || status > 599) {
			throw new IllegalArgumentException("Not an HTTP status: " + status);
		}
		body = body.clone();
	}

	@Override
	public byte[] body() {
		return body.clone();
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof StoredResponse stored && status == stored.status
				&& java.util.Objects.equals(contentType, stored.contentType) && Arrays.equals(body, stored.body);
	}

	@Override
	public int hashCode() {
		return 31 * (31 * status + java.util.Objects.hashCode(contentType)) + Arrays.hashCode(body);
	}

	@Override
	public String toString() {
		return "StoredResponse[status=" + status + ", contentType=" + contentType + ", " + body.length + " bytes]";
	}
}
