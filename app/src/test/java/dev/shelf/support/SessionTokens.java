package dev.shelf.support;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

/**
 * Builds Shopify-style session tokens for tests, independently of the production code that verifies them (a shared
 * helper would hide a mistake made on both sides). Defaults give a valid token; each method breaks one thing.
 */
public final class SessionTokens {

	public static final String API_KEY = "shelf-test-api-key";
	public static final String SECRET = "test-secret-0123456789abcdef0123456789abcdef";
	public static final String OLD_SECRET = "old-secret-0123456789abcdef0123456789abcdef";

	private static final AtomicLong shopCounter = new AtomicLong();

	private String shop;
	private String dest;
	private String iss;
	private String audience = API_KEY;
	private String secret = SECRET;
	private JWSAlgorithm algorithm = JWSAlgorithm.HS256;
	private boolean unsigned;
	private Instant notBefore = Instant.now().minusSeconds(1);
	private Instant expiresAt = Instant.now().plusSeconds(60);
	private boolean withoutExpiry;

	private SessionTokens(String shop) {
		this.shop = shop;
	}

	/** A shop domain no other test uses, so each test has its own tenant. */
	public static String uniqueShop(String purpose) {
		return purpose + "-" + System.nanoTime() % 1_000_000_000L + "-" + shopCounter.incrementAndGet() + ".myshopify.com";
	}

	public static SessionTokens forShop(String shopDomain) {
		return new SessionTokens(shopDomain);
	}

	public SessionTokens audience(String audience) {
		this.audience = audience;
		return this;
	}

	public SessionTokens signedWith(String secret) {
		this.secret = secret;
		return this;
	}

	public SessionTokens algorithm(JWSAlgorithm algorithm) {
		this.algorithm = algorithm;
		return this;
	}

	public SessionTokens unsigned() {
		this.unsigned = true;
		return this;
	}

	public SessionTokens expiredAgo(Duration ago) {
		this.notBefore = Instant.now().minus(ago).minusSeconds(60);
		this.expiresAt = Instant.now().minus(ago);
		return this;
	}

	public SessionTokens validFromIn(Duration in) {
		this.notBefore = Instant.now().plus(in);
		this.expiresAt = notBefore.plusSeconds(60);
		return this;
	}

	public SessionTokens withoutExpiry() {
		this.withoutExpiry = true;
		return this;
	}

	public SessionTokens dest(String dest) {
		this.dest = dest;
		return this;
	}

	public SessionTokens issuer(String iss) {
		this.iss = iss;
		return this;
	}

	public String token() {
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
				.issuer(iss != null ? iss : "https://" + shop + "/admin")
				.claim("dest", dest != null ? dest : "https://" + shop)
				.audience(audience)
				.subject("42")
				.issueTime(Date.from(notBefore))
				.notBeforeTime(Date.from(notBefore))
				.jwtID(UUID.randomUUID().toString())
				.claim("sid", UUID.randomUUID().toString());
		if (!withoutExpiry) {
			claims.expirationTime(Date.from(expiresAt));
		}
		if (unsigned) {
			return new PlainJWT(claims.build()).serialize();
		}
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims.build());
			jwt.sign(signer());
			return jwt.serialize();
		}
		catch (JOSEException e) {
			throw new IllegalStateException(e);
		}
	}

	private JWSSigner signer() throws JOSEException {
		if (JWSAlgorithm.Family.RSA.contains(algorithm)) {
			try {
				KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
				generator.initialize(2048);
				return new RSASSASigner((RSAPrivateKey) generator.generateKeyPair().getPrivate());
			}
			catch (NoSuchAlgorithmException e) {
				throw new IllegalStateException(e);
			}
		}
		return new MACSigner(secret.getBytes(StandardCharsets.UTF_8));
	}
}
