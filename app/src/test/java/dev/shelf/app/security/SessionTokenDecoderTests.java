package dev.shelf.app.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import dev.shelf.support.SessionTokens;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;

import static dev.shelf.support.SessionTokens.forShop;
import static dev.shelf.support.SessionTokens.uniqueShop;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A token that verified once is remembered by its text; that never lets an expired or altered token through. */
class SessionTokenDecoderTests {

	private final MovableClock clock = new MovableClock(Instant.now());
	private final SessionTokenDecoder decoder = new SessionTokenDecoder(
			new ShopifyCredentials(SessionTokens.API_KEY, List.of(SessionTokens.SECRET), false), clock);

	@Test
	void theSameTokenTextIsVerifiedOnceAndGivesTheSameClaims() {
		String shop = uniqueShop("decoder");
		String token = forShop(shop).token();

		Jwt first = decoder.decode(token);
		Jwt again = decoder.decode(token);

		assertThat(again).isSameAs(first);
		assertThat(SessionTokenDecoder.shopDomain(again)).isEqualTo(shop);
	}

	@Test
	void aRememberedTokenIsRefusedOnceItHasExpiredBeyondTheLeeway() {
		String token = forShop(uniqueShop("decoder")).token(); // expires in 60 s
		decoder.decode(token);

		clock.advance(Duration.ofSeconds(60 + SessionTokenDecoder.LEEWAY_SECONDS - 2));
		assertThat(decoder.decode(token)).isNotNull();

		clock.advance(Duration.ofSeconds(4));
		assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtException.class).hasMessageContaining("expired");
	}

	@Test
	void aTamperedCopyOfARememberedTokenIsRefused() {
		String shop = uniqueShop("decoder");
		String token = forShop(shop).token();
		decoder.decode(token);
		String[] parts = token.split("\\.");
		String otherShop = uniqueShop("victim");
		String payload = new String(Base64.getUrlDecoder().decode(parts[1]), UTF_8).replace(shop, otherShop);
		String tamperedPayload = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(UTF_8))
				+ "." + parts[2];
		char first = parts[2].charAt(0);
		String tamperedSignature = parts[0] + "." + parts[1] + "." + (first == 'A' ? 'B' : 'A') + parts[2].substring(1);

		assertThatThrownBy(() -> decoder.decode(tamperedPayload)).isInstanceOf(JwtException.class);
		assertThatThrownBy(() -> decoder.decode(tamperedSignature)).isInstanceOf(JwtException.class);
		assertThat(SessionTokenDecoder.shopDomain(decoder.decode(token))).isEqualTo(shop);
	}

	@Test
	void aTokenRefusedOnceIsRefusedEveryTime() {
		String token = forShop(uniqueShop("decoder")).expiredAgo(Duration.ofMinutes(1)).token();

		for (int i = 0; i < 2; i++) {
			assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtException.class);
		}
	}

	private static final class MovableClock extends Clock {

		private Instant now;

		MovableClock(Instant now) {
			this.now = now;
		}

		void advance(Duration duration) {
			now = now.plus(duration);
		}

		@Override
		public Instant instant() {
			return now;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}
	}
}
