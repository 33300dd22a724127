package dev.shelf.billing;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

final class Sha256 {

	private Sha256() {
	}

	static MessageDigest digest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("Every JVM has SHA-256", e);
		}
	}
}
