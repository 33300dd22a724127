package dev.shelf.app.security;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import javax.crypto.spec.SecretKeySpec;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.shelf.catalog.Shops;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * Verifies Shopify session tokens (App Bridge's {@code Authorization: Bearer} JWTs): HS256 only, signed with the
 * app's secret — or, during a rotation, its previous one — addressed to the app's API key ({@code aud}), inside
 * {@code nbf}..{@code exp} with {@value #LEEWAY_SECONDS} s of clock leeway, and naming a shop in {@code dest}
 * whose admin issued it ({@code iss}). Nimbus does the cryptography; {@code none} and RSA tokens never verify
 * because each decoder accepts only HS256 with its one key.
 * <p>
 * App Bridge sends the same token with every request for up to a minute, and verifying it (parsing, HMAC, claim
 * conversion, validators) was ~4 % of the JVM's CPU on a page of products (BENCHMARKS.md §3, fifth run). So a token
 * that verified is remembered by its exact text until it expires ({@code exp} plus the leeway): the same text carries
 * the same signature and claims, and none of the checks but the expiry depends on time ({@code nbf} passed once stays
 * passed). Any other text — a tampered token is one — is verified in full; an expired one is refused as before.
 */
final class SessionTokenDecoder implements JwtDecoder {

	static final int LEEWAY_SECONDS = 10;

	/** Tokens live a minute; this bounds the memory to a few MB whatever the number of users. */
	static final int MAX_REMEMBERED_TOKENS = 10_000;

	private final List<JwtDecoder> decodersBySecret;
	private final Clock clock;
	private final Cache<String, Jwt> verified;

	SessionTokenDecoder(ShopifyCredentials credentials) {
		this(credentials, Clock.systemUTC());
	}

	SessionTokenDecoder(ShopifyCredentials credentials, Clock clock) {
		this.clock = clock;
		this.verified = Caffeine.newBuilder()
				.maximumSize(MAX_REMEMBERED_TOKENS)
				.expireAfter(Expiry.creating((String token, Jwt jwt) ->
						Duration.between(clock.instant(), usableUntil(jwt)).plusSeconds(1)))
				.build();
		JwtTimestampValidator timestamps = new JwtTimestampValidator(Duration.ofSeconds(LEEWAY_SECONDS));
		timestamps.setClock(clock);
		OAuth2TokenValidator<Jwt> validator = new DelegatingOAuth2TokenValidator<>(
				timestamps,
				new JwtClaimValidator<>("exp", Objects::nonNull),
				new JwtClaimValidator<>("nbf", Objects::nonNull),
				new JwtClaimValidator<List<String>>("aud", aud -> aud != null && aud.contains(credentials.apiKey())),
				SessionTokenDecoder::destinationIsTheIssuingShop);
		List<JwtDecoder> decoders = new ArrayList<>();
		for (String secret : credentials.secrets()) {
			NimbusJwtDecoder decoder = NimbusJwtDecoder
					.withSecretKey(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
					.macAlgorithm(MacAlgorithm.HS256)
					.build();
			decoder.setJwtValidator(validator);
			decoders.add(decoder);
		}
		this.decodersBySecret = List.copyOf(decoders);
	}

	@Override
	public Jwt decode(String token) throws JwtException {
		Jwt remembered = verified.getIfPresent(token);
		if (remembered != null && !clock.instant().isAfter(usableUntil(remembered))) {
			return remembered;
		}
		Jwt jwt = verify(token);
		verified.put(token, jwt);
		return jwt;
	}

	/** The last instant the timestamp validator accepts the token (exp is required, so never null here). */
	private static Instant usableUntil(Jwt jwt) {
		return Objects.requireNonNull(jwt.getExpiresAt()).plusSeconds(LEEWAY_SECONDS);
	}

	private Jwt verify(String token) {
		JwtException firstFailure = null;
		for (JwtDecoder decoder : decodersBySecret) {
			try {
				return decoder.decode(token);
			}
			catch (JwtException failure) {
				// Report what the current secret found wrong, not the old secret's "bad signature".
				firstFailure = firstFailure != null ? firstFailure : failure;
			}
		}
		throw Objects.requireNonNull(firstFailure);
	}

	/** The shop domain a verified token speaks for: {@code dest} without its {@code https://}. */
	static String shopDomain(Jwt token) {
		return URI.create(token.getClaimAsString("dest")).getHost();
	}

	private static OAuth2TokenValidatorResult destinationIsTheIssuingShop(Jwt token) {
		String dest = token.getClaimAsString("dest");
		String iss = token.getClaimAsString("iss");
		boolean valid = dest != null && dest.startsWith("https://")
				&& Shops.MYSHOPIFY_DOMAIN.matcher(dest.substring("https://".length())).matches()
				&& (dest + "/admin").equals(iss);
		return valid ? OAuth2TokenValidatorResult.success()
				: OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token",
						"dest must be https://<shop>.myshopify.com and iss its /admin", null));
	}
}
