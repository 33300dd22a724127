package dev.shelf.app.security;

import java.time.Duration;

import com.nimbusds.jose.JWSAlgorithm;
import dev.shelf.support.GraphQlHttp;
import dev.shelf.support.ShelfApplicationTest;
import dev.shelf.support.SessionTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.shelf.support.SessionTokens.forShop;
import static dev.shelf.support.SessionTokens.uniqueShop;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /graphql} admits only valid Shopify session tokens. A rejected request gets HTTP 401 with a GraphQL error
 * body, and nothing runs: in particular the shop named by a bad token is never registered.
 */
@ShelfApplicationTest
class SessionTokenAuthenticationTests {

	private static final String SHOP_QUERY = "{ shop { myshopifyDomain } }";

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	GraphQlHttp http;
	String shop;

	@BeforeEach
	void setUp() {
		http = new GraphQlHttp(port);
		shop = uniqueShop("auth");
	}

	@Test
	void aValidTokenGetsTheShopsData() {
		var response = http.query(forShop(shop).token(), SHOP_QUERY);

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.data().path("shop").path("myshopifyDomain").asString()).isEqualTo(shop);
		assertThat(response.body().has("errors")).isFalse();
	}

	@Test
	void aMissingTokenIsAnsweredWith401AndAGraphQlError() {
		var response = http.query(null, SHOP_QUERY);

		assertRejected(response);
		assertThat(response.firstError().path("message").asString()).contains("Missing session token");
		assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
	}

	@Test
	void aTokenWithAlgorithmNoneIsRejected() {
		assertRejectedWithoutSideEffects(forShop(shop).unsigned().token());
	}

	@Test
	void anRs256TokenIsRejected() {
		assertRejectedWithoutSideEffects(forShop(shop).algorithm(JWSAlgorithm.RS256).token());
	}

	@Test
	void anHs512TokenSignedWithTheRightSecretIsRejected() {
		assertRejectedWithoutSideEffects(forShop(shop).algorithm(JWSAlgorithm.HS512)
				.signedWith(SessionTokens.SECRET + SessionTokens.SECRET).token());
	}

	@Test
	void aTokenForAnotherAppIsRejected() {
		assertRejectedWithoutSideEffects(forShop(shop).audience("some-other-app").token());
	}

	@Test
	void aTokenSignedWithAnUnknownSecretIsRejected() {
		assertRejectedWithoutSideEffects(forShop(shop).signedWith("an-attackers-secret-0123456789abcdef0123").token());
	}

	@Test
	void aTokenSignedWithThePreviousSecretIsAcceptedDuringRotation() {
		var response = http.query(forShop(shop).signedWith(SessionTokens.OLD_SECRET).token(), SHOP_QUERY);

		assertThat(response.status()).isEqualTo(200);
		assertThat(response.data().path("shop").path("myshopifyDomain").asString()).isEqualTo(shop);
	}

	@Test
	void aTokenExpiredBeyondTheLeewayIsRejected() {
		var response = http.query(forShop(shop).expiredAgo(Duration.ofSeconds(15)).token(), SHOP_QUERY);

		assertRejected(response);
		assertThat(response.firstError().path("message").asString()).containsIgnoringCase("expired");
		assertThat(shopRows(shop)).isZero();
	}

	@Test
	void aTokenExpiredWithinTheTenSecondLeewayIsAccepted() {
		var response = http.query(forShop(shop).expiredAgo(Duration.ofSeconds(4)).token(), SHOP_QUERY);

		assertThat(response.status()).isEqualTo(200);
	}

	@Test
	void aTokenNotYetValidBeyondTheLeewayIsRejected() {
		assertRejectedWithoutSideEffects(forShop(shop).validFromIn(Duration.ofSeconds(30)).token());
	}

	@Test
	void aTokenNotYetValidWithinTheLeewayIsAccepted() {
		assertThat(http.query(forShop(shop).validFromIn(Duration.ofSeconds(4)).token(), SHOP_QUERY).status())
				.isEqualTo(200);
	}

	@Test
	void aTokenWithoutExpiryIsRejected() {
		assertRejectedWithoutSideEffects(forShop(shop).withoutExpiry().token());
	}

	@Test
	void aTokenWhoseDestinationIsNotAShopIsRejected() {
		assertRejectedWithoutSideEffects(forShop(shop).dest("https://evil.example.com")
				.issuer("https://evil.example.com/admin").token());
	}

	@Test
	void aTokenIssuedByAnotherShopsAdminIsRejected() {
		assertRejectedWithoutSideEffects(forShop(shop).issuer("https://" + uniqueShop("other") + "/admin").token());
	}

	@Test
	void garbageInTheAuthorizationHeaderIsRejected() {
		assertRejected(http.query("not-a-jwt", SHOP_QUERY));
	}

	@Test
	void aShopIsRegisteredOnFirstSightAndOnlyOnce() {
		String token = forShop(shop).token();

		http.query(token, SHOP_QUERY);
		http.query(token, SHOP_QUERY);

		assertThat(shopRows(shop)).isOne();
	}

	private void assertRejectedWithoutSideEffects(String token) {
		var response = http.query(token, SHOP_QUERY);

		assertRejected(response);
		assertThat(response.firstError().path("message").asString()).startsWith("Invalid session token");
		assertThat(response.header("WWW-Authenticate")).contains("invalid_token");
		assertThat(shopRows(shop)).as("a rejected token must not register its shop").isZero();
	}

	private static void assertRejected(GraphQlHttp.Response response) {
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.firstErrorCode()).isEqualTo("UNAUTHENTICATED");
		assertThat(response.body().has("data")).as("nothing executed").isFalse();
	}

	private long shopRows(String domain) {
		return jdbc.sql("SELECT count(*) FROM catalog.shops WHERE shopify_domain = ?").param(domain)
				.query(Long.class).single();
	}
}
