package dev.shelf.billing.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.spec.SecretKeySpec;

import org.springframework.security.crypto.encrypt.AesBytesEncryptor;
import org.springframework.security.crypto.encrypt.BytesEncryptor;
import org.springframework.security.crypto.keygen.KeyGenerators;
import org.springframework.util.StringUtils;

/**
 * AES-256-GCM (Spring Security Crypto, random 96-bit IV per value) with the key from {@code SHELF_ENCRYPTION_KEY}
 * (32 bytes, base64). Without it Shelf refuses to start, except in the {@code dev} profile, which generates a key
 * once and keeps it in {@code SHELF_DATA_DIR/dev-encryption-key} — tokens encrypted with it are development data.
 */
record TokenEncryption(byte[] key, boolean generatedForDevelopment) {

	static final String DEV_KEY_FILE = "dev-encryption-key";
	private static final int KEY_BYTES = 32;
	private static final int IV_BYTES = 12;

	TokenEncryption {
		if (key.length != KEY_BYTES) {
			throw new IllegalStateException("SHELF_ENCRYPTION_KEY must be " + KEY_BYTES
					+ " bytes in base64 (e.g. `openssl rand -base64 32`), got " + key.length + " bytes");
		}
	}

	BytesEncryptor encryptor() {
		return new AesBytesEncryptor(new SecretKeySpec(key, "AES"), KeyGenerators.secureRandom(IV_BYTES),
				AesBytesEncryptor.CipherAlgorithm.GCM);
	}

	static TokenEncryption resolve(String configuredKey, boolean devProfile, Path dataDirectory) {
		if (StringUtils.hasText(configuredKey)) {
			return new TokenEncryption(decode(configuredKey), false);
		}
		if (!devProfile) {
			throw new IllegalStateException("SHELF_ENCRYPTION_KEY is not set. Shelf encrypts the shops' Shopify access "
					+ "tokens with it and will not start without it outside the 'dev' profile "
					+ "(generate one with `openssl rand -base64 32`).");
		}
		Path file = dataDirectory.resolve(DEV_KEY_FILE);
		try {
			if (!Files.exists(file)) {
				byte[] key = new byte[KEY_BYTES];
				new SecureRandom().nextBytes(key);
				Files.createDirectories(dataDirectory);
				Files.createFile(file);
				if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
					Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
				}
				Files.writeString(file, Base64.getEncoder().encodeToString(key));
			}
			return new TokenEncryption(decode(Files.readString(file)), true);
		}
		catch (IOException e) {
			throw new UncheckedIOException("Could not read or create " + file, e);
		}
	}

	private static byte[] decode(String base64) {
		try {
			return Base64.getDecoder().decode(base64.strip());
		}
		catch (IllegalArgumentException e) {
			throw new IllegalStateException("SHELF_ENCRYPTION_KEY is not base64", e);
		}
	}
}
