package dev.shelf.app;

import java.util.List;
import java.util.Map;

import dev.shelf.support.GraphQlHttp;
import dev.shelf.testing.Race;
import dev.shelf.support.ShelfApplicationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import static dev.shelf.support.SessionTokens.forShop;
import static dev.shelf.support.SessionTokens.uniqueShop;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A shop sees only its own data: the current shop comes from the verified token, never from an argument, and an id
 * belonging to another shop answers exactly like an id that does not exist. Grows with every tenant-scoped type.
 */
@ShelfApplicationTest
class TenantIsolationTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	GraphQlHttp http;
	String alice;
	String bob;

	@BeforeEach
	void setUp() {
		http = new GraphQlHttp(port);
		alice = uniqueShop("alice");
		bob = uniqueShop("bob");
	}

	@Test
	void eachShopSeesItselfAsTheCurrentShop() {
		assertThat(currentShop(alice).path("myshopifyDomain").asString()).isEqualTo(alice);
		assertThat(currentShop(bob).path("myshopifyDomain").asString()).isEqualTo(bob);
		assertThat(currentShop(alice).path("id").asString()).isNotEqualTo(currentShop(bob).path("id").asString());
	}

	@Test
	void anotherShopsIdIsIndistinguishableFromAMissingOne() {
		String aliceId = currentShop(alice).path("id").asString();
		String bobId = currentShop(bob).path("id").asString();

		var asBob = http.query(forShop(bob).token(), """
				query($alice: ID!, $bob: ID!, $missing: ID!) {
				  alice: node(id: $alice) { id }
				  missing: node(id: $missing) { id }
				  both: nodes(ids: [$alice, $bob]) { id }
				}""", Map.of("alice", aliceId, "bob", bobId, "missing", "gid://shelf/Shop/999999999999"), Map.of());

		assertThat(asBob.body().has("errors")).isFalse();
		assertThat(asBob.data().path("alice").isNull()).isTrue();
		assertThat(asBob.data().path("missing").isNull()).isTrue();
		assertThat(asBob.data().path("both").path(0).isNull()).isTrue();
		assertThat(asBob.data().path("both").path(1).path("id").asString()).isEqualTo(bobId);
	}

	@Test
	void concurrentFirstRequestsOfANewShopRegisterItOnce() throws Exception {
		String newShop = uniqueShop("racing");
		List<String> ids = Race.run(16, () -> {
			var response = http.query(forShop(newShop).token(), "{ shop { id } }");
			assertThat(response.status()).isEqualTo(200);
			return response.data().path("shop").path("id").asString();
		});

		assertThat(ids).hasSize(16).doesNotContainNull().containsOnly(ids.get(0));
		assertThat(jdbc.sql("SELECT count(*) FROM catalog.shops WHERE shopify_domain = ?").param(newShop)
				.query(Long.class).single()).isOne();
	}

	private JsonNode currentShop(String domain) {
		var response = http.query(forShop(domain).token(), "{ shop { id myshopifyDomain } }");
		assertThat(response.status()).isEqualTo(200);
		return response.data().path("shop");
	}
}
