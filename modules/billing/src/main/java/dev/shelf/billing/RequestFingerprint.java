package dev.shelf.billing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What an idempotent request asked for, as a SHA-256 digest: a retry must carry the same fingerprint as the request
 * that first used its key, or it is refused as a different request. The caller decides what makes two requests the
 * same and hands in their canonical parts ({@link #of}); for a GraphQL mutation they are the printed operation
 * document, the operation name and the variables as JSON with sorted keys.
 */
public record RequestFingerprint(byte[] sha256) {

	public RequestFingerprint {
		if (sha256 == null || sha256.length != 32) {
			throw new IllegalArgumentException("A request fingerprint is a 32-byte SHA-256 digest");
		}
		sha256 = sha256.clone();
	}

	/** Each part is length-prefixed, so ("ab", "c") and ("a", "bc") differ. */
	public static RequestFingerprint of(String... canonicalParts) {
		MessageDigest digest = Sha256.digest();
		for (String part : canonicalParts) {
			byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
			digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
			digest.update(bytes);
		}
		return new RequestFingerprint(digest.digest());
	}

	@Override
	public byte[] sha256() {
		return sha256.clone();
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof RequestFingerprint fingerprint && Arrays.equals(sha256, fingerprint.sha256);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(sha256);
	}

	@Override
	public String toString() {
		return "RequestFingerprint[" + HexFormat.of().formatHex(sha256) + "]";
	}
}
