package dev.shelf.app.security;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Date;
import java.util.UUID;
import java.util.function.Supplier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.shelf.catalog.Shops;
import org.springframework.modulith.NamedInterface;

/**
 * {@code dev-token [--shop=<shop>.myshopify.com ...] [--ttl-seconds=N]}: prints a session token shaped like the ones
 * Shopify App Bridge sends, signed with the secret a local Shelf verifies with — {@code SHOPIFY_API_SECRET} and
 * {@code SHOPIFY_API_KEY} when set, the generated development credentials under {@code SHELF_DATA_DIR} otherwise.
 * For local use and scripts (curl, benchmarks); Shopify's own tokens live one minute, these one hour by default.
 * With several {@code --shop}s, one token per shop, a line each, in their order.
 */
@NamedInterface("cli")
public final class DevTokenCommand {

	public static final String NAME = "dev-token";
	static final String DEFAULT_SHOP = "shelf-dev.myshopify.com";

	private DevTokenCommand() {
	}

	public static int run(String[] args, PrintStream out, PrintStream err) {
		return run(args, DevTokenCommand::credentialsFromEnvironment, out, err);
	}

	static int run(String[] args, Supplier<ShopifyCredentials> signingCredentials, PrintStream out, PrintStream err) {
		List<String> shops = new ArrayList<>();
		Duration ttl = Duration.ofHours(1);
		for (String arg : args) {
			if (arg.startsWith("--shop=")) {
				shops.add(arg.substring("--shop=".length()));
			}
			else if (arg.startsWith("--ttl-seconds=") && arg.substring("--ttl-seconds=".length()).matches("\\d{1,7}")) {
				ttl = Duration.ofSeconds(Long.parseLong(arg.substring("--ttl-seconds=".length())));
			}
			else {
				err.println("usage: dev-token [--shop=<shop>.myshopify.com ...] [--ttl-seconds=N]  (unknown: " + arg + ")");
				return 2;
			}
		}
		if (shops.isEmpty()) {
			shops.add(DEFAULT_SHOP);
		}
		for (String shop : shops) {
			if (!Shops.MYSHOPIFY_DOMAIN.matcher(shop).matches()) {
				err.println("Not a shop domain: " + shop + " (expected <name>.myshopify.com)");
				return 2;
			}
		}
		ShopifyCredentials credentials = signingCredentials.get();
		for (String shop : shops) {
			out.println(mint(credentials.apiKey(), credentials.secrets().get(0), shop, ttl, Instant.now()));
		}
		return 0;
	}

	static String mint(String apiKey, String secret, String shop, Duration ttl, Instant now) {
		JWTClaimsSet claims = new JWTClaimsSet.Builder()
				.issuer("https://" + shop + "/admin")
				.claim("dest", "https://" + shop)
				.audience(apiKey)
				.subject("1")
				.issueTime(Date.from(now))
				.notBeforeTime(Date.from(now))
				.expirationTime(Date.from(now.plus(ttl)))
				.jwtID(UUID.randomUUID().toString())
				.claim("sid", UUID.randomUUID().toString())
				.build();
		try {
			SignedJWT token = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
			token.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
			return token.serialize();
		}
		catch (JOSEException e) {
			throw new IllegalStateException("Could not sign the token", e);
		}
	}

	private static ShopifyCredentials credentialsFromEnvironment() {
		String secret = System.getenv("SHOPIFY_API_SECRET");
		var properties = new ShopifyProperties(System.getenv("SHOPIFY_API_KEY"), secret, null);
		Path dataDirectory = Path.of(System.getenv().getOrDefault("SHELF_DATA_DIR", ".shelf"));
		return ShopifyCredentials.resolve(properties, true, dataDirectory);
	}
}
