package dev.shelf.app.security;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import javax.crypto.spec.SecretKeySpec;

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
 */
final class SessionTokenDecoder implements JwtDecoder {

	static final int LEEWAY_SECONDS = 10;

	private final List<JwtDecoder> decodersBySecret;

	SessionTokenDecoder(ShopifyCredentials credentials) {
		OAuth2TokenValidator<Jwt> validator = new DelegatingOAuth2TokenValidator<>(
				new JwtTimestampValidator(Duration.ofSeconds(LEEWAY_SECONDS)),
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
