package dev.shelf.app.security;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;

import static org.assertj.core.api.Assertions.assertThat;

/** The dev-token command mints tokens the server's own decoder accepts, and refuses bad arguments. */
class DevTokenCommandTests {

	private static final String SECRET = "0123456789abcdef0123456789abcdef";

	@Test
	void aMintedTokenVerifiesAndNamesTheShop() {
		var credentials = new ShopifyCredentials("dev-key", List.of(SECRET), true);
		String token = DevTokenCommand.mint("dev-key", SECRET, "demo.myshopify.com", Duration.ofHours(1), Instant.now());

		Jwt verified = new SessionTokenDecoder(credentials).decode(token);

		assertThat(SessionTokenDecoder.shopDomain(verified)).isEqualTo("demo.myshopify.com");
		assertThat(verified.getExpiresAt()).isAfter(Instant.now().plus(Duration.ofMinutes(59)));
	}

	@Test
	void severalShopsGetATokenEachInTheirOrder() {
		var credentials = new ShopifyCredentials("dev-key", List.of(SECRET), true);
		var out = new ByteArrayOutputStream();

		int exit = DevTokenCommand.run(new String[] { "--shop=a.myshopify.com", "--shop=b.myshopify.com" },
				() -> credentials, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));

		assertThat(exit).isZero();
		var decoder = new SessionTokenDecoder(credentials);
		assertThat(out.toString(StandardCharsets.UTF_8).lines().map(token -> SessionTokenDecoder.shopDomain(decoder.decode(token))))
				.containsExactly("a.myshopify.com", "b.myshopify.com");
	}

	@Test
	void oneBadShopAmongSeveralRefusesThemAll() {
		var out = new ByteArrayOutputStream();

		int exit = DevTokenCommand.run(new String[] { "--shop=a.myshopify.com", "--shop=nope" }, () -> {
			throw new AssertionError("no token is signed");
		}, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));

		assertThat(exit).isEqualTo(2);
		assertThat(out.size()).isZero();
	}

	@Test
	void anInvalidShopDomainIsRefusedWithUsage() {
		var err = new ByteArrayOutputStream();

		int exit = DevTokenCommand.run(new String[] { "--shop=https://demo.example.com" }, new PrintStream(
				new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));

		assertThat(exit).isEqualTo(2);
		assertThat(err.toString(StandardCharsets.UTF_8)).contains("Not a shop domain");
	}

	@Test
	void anUnknownArgumentIsRefusedWithUsage() {
		var err = new ByteArrayOutputStream();

		int exit = DevTokenCommand.run(new String[] { "--shoop=x" }, new PrintStream(new ByteArrayOutputStream()),
				new PrintStream(err, true, StandardCharsets.UTF_8));

		assertThat(exit).isEqualTo(2);
		assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: dev-token");
	}
}
