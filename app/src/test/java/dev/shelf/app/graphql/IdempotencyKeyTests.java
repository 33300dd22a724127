package dev.shelf.app.graphql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import dev.shelf.catalog.Shops;
import dev.shelf.support.GraphQlHttp;
import dev.shelf.support.ShelfApplicationTest;
import dev.shelf.testing.Race;
import dev.shelf.testing.TestClock;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.shelf.support.SessionTokens.forShop;
import static dev.shelf.support.SessionTokens.uniqueShop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code Idempotency-Key} on {@code /graphql} as a client meets it: over HTTP, with a session token and a real catalog
 * mutation ({@code productCreate}); what was executed is counted in the catalog's own table.
 */
@ShelfApplicationTest
class IdempotencyKeyTests {

	private static final String CREATE = """
			mutation Create($input: ProductInput!) {
			  productCreate(input: $input) { product { id title handle } userErrors { field code } }
			}""";

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	DataSource dataSource;

	@Autowired
	Shops shops;

	@Autowired
	TestClock clock;

	@Autowired
	MeterRegistry metrics;

	@Autowired
	ApplicationContext context;

	GraphQlHttp http;
	String shop;
	String token;
	String key;

	@BeforeEach
	void setUp() {
		http = new GraphQlHttp(port);
		shop = uniqueShop("idempotency");
		token = forShop(shop).token();
		key = UUID.randomUUID().toString();
	}

	@AfterEach
	void backToNow() {
		clock.reset();
	}

	@Test
	void aRetryGetsTheStoredResponseMarkedReplayedAndCreatesNoSecondProduct() {
		double replayedBefore = outcomes("replayed");

		GraphQlHttp.Response first = create(key, Map.of("title", "Lamp"));
		GraphQlHttp.Response retry = create(key, Map.of("title", "Lamp"));

		assertThat(first.status()).isEqualTo(200);
		assertThat(first.header("Idempotent-Replayed")).isNull();
		assertThat(first.data().path("productCreate").path("product").path("title").asString()).isEqualTo("Lamp");
		assertThat(retry.status()).isEqualTo(200);
		assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(retry.header("Content-Type")).isEqualTo(first.header("Content-Type"));
		assertThat(retry.http().body()).as("byte for byte").isEqualTo(first.http().body());
		assertThat(products()).isEqualTo(1);
		assertThat(outcomes("replayed") - replayedBefore).isEqualTo(1);
	}

	@Test
	void layoutCommentsAndTheOrderOfVariablesDoNotMakeAnotherRequest() {
		create(key, Map.of("title", "Lamp", "vendor", "Acme"));

		GraphQlHttp.Response retry = http.query(token, "# the same mutation, laid out differently\n"
				+ CREATE.replace("\n", "\n\n   ").replace(" {", "{"),
				Map.of("input", Map.of("vendor", "Acme", "title", "Lamp")), Map.of("Idempotency-Key", key));

		assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(products()).isEqualTo(1);
	}

	@Test
	void theSameKeyWithOtherVariablesIsRefusedWith422AndExecutesNothing() {
		create(key, Map.of("title", "Lamp"));

		GraphQlHttp.Response other = create(key, Map.of("title", "Chair"));

		assertThat(other.status()).isEqualTo(422);
		assertThat(other.firstErrorCode()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
		assertThat(other.header("Idempotent-Replayed")).isNull();
		assertThat(products()).isEqualTo(1);
	}

	/**
	 * The first request is held inside its INSERT: the test has inserted a product with the same handle in a
	 * transaction it leaves open, and the catalog's {@code ON CONFLICT (shop_id, handle)} waits for it to end.
	 */
	@Test
	void aRetryWhileTheFirstStillExecutesGets409WithRetryAfter() throws Exception {
		long shopId = shops.registerOnFirstSight(shop).id().value();
		Map<String, Object> input = Map.of("title", "Lamp", "handle", "held-lamp");
		try (Connection held = dataSource.getConnection()) {
			held.setAutoCommit(false);
			try (PreparedStatement insert = held.prepareStatement("""
					INSERT INTO catalog.products (shop_id, kind, title, handle, status)
					VALUES (?, 'CUSTOM', 'Held', 'held-lamp', 'DRAFT')""")) {
				insert.setLong(1, shopId);
				insert.executeUpdate();
			}
			CompletableFuture<GraphQlHttp.Response> first = CompletableFuture.supplyAsync(() -> create(key, input));
			await().atMost(Duration.ofSeconds(20)).until(() -> first.isDone() || blockedOnProducts() > 0);

			GraphQlHttp.Response retry = create(key, input);

			assertThat(retry.status()).isEqualTo(409);
			assertThat(retry.header("Retry-After")).isEqualTo("1");
			assertThat(retry.firstErrorCode()).isEqualTo("IDEMPOTENCY_KEY_IN_USE");
			held.rollback();
			assertThat(first.get().status()).isEqualTo(200);
			assertThat(first.get().data().path("productCreate").path("product").path("handle").asString())
					.isEqualTo("held-lamp");
		}
		assertThat(create(key, input).header("Idempotent-Replayed")).isEqualTo("true");
		assertThat(products()).isEqualTo(1);
	}

	@Test
	void ofManyConcurrentRequestsWithOneKeyExactlyOneExecutes() throws Exception {
		List<GraphQlHttp.Response> responses = Race.run(12, () -> create(key, Map.of("title", "Lamp")));

		assertThat(responses).filteredOn(response -> response.status() == 200 && response.header("Idempotent-Replayed") == null)
				.as("executed").hasSize(1);
		assertThat(responses).allSatisfy(response -> assertThat(response.status()).isIn(200, 409));
		String executed = responses.stream().filter(response -> response.status() == 200).findFirst().orElseThrow()
				.http().body();
		assertThat(responses).filteredOn(response -> response.status() == 200)
				.allSatisfy(response -> assertThat(response.http().body()).isEqualTo(executed));
		assertThat(products()).isEqualTo(1);
	}

	@Test
	void keysArePerShop() {
		String otherShop = uniqueShop("idempotency-other");

		create(key, Map.of("title", "Lamp"));
		GraphQlHttp.Response other = http.query(forShop(otherShop).token(), CREATE,
				Map.of("input", Map.of("title", "Chair")), Map.of("Idempotency-Key", key));

		assertThat(other.status()).isEqualTo(200);
		assertThat(other.header("Idempotent-Replayed")).isNull();
		assertThat(other.data().path("productCreate").path("product").path("title").asString()).isEqualTo("Chair");
		assertThat(products()).isEqualTo(1);
	}

	@Test
	void aKeyExpiresAfter24HoursThenExecutesAgainAndIsPurgedADayLater() {
		create(key, Map.of("title", "Lamp"));
		clock.advance(Duration.ofHours(24).plusSeconds(1));

		GraphQlHttp.Response afterExpiry = create(key, Map.of("title", "Chair"));

		assertThat(afterExpiry.status()).isEqualTo(200);
		assertThat(afterExpiry.header("Idempotent-Replayed")).isNull();
		assertThat(products()).isEqualTo(2);

		clock.advance(Duration.ofHours(24).plusSeconds(1));
		// The shared context's own schedule may hold the purge's lock right now; then this run skips and is repeated.
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			context.getBean("idempotencyKeyPurge", Runnable.class).run();
			return keysOfShop() == 0;
		});
	}

	@Test
	void aQueryWithAKeyExecutesAsUsualAndStoresNothing() {
		GraphQlHttp.Response first = http.query(token, "{ shop { myshopifyDomain } }", Map.of(), Map.of("Idempotency-Key", key));
		GraphQlHttp.Response second = http.query(token, "{ shop { myshopifyDomain } }", Map.of(), Map.of("Idempotency-Key", key));

		assertThat(first.data().path("shop").path("myshopifyDomain").asString()).isEqualTo(shop);
		assertThat(second.header("Idempotent-Replayed")).isNull();
		assertThat(keysOfShop()).isZero();
	}

	@Test
	void aMalformedKeyIsRefusedWith400AndExecutesNothing() {
		GraphQlHttp.Response tooLong = create("k".repeat(256), Map.of("title", "Lamp"));

		assertThat(tooLong.status()).isEqualTo(400);
		assertThat(tooLong.firstErrorCode()).isEqualTo("IDEMPOTENCY_KEY_INVALID");
		assertThat(products()).isZero();
	}

	@Test
	void aMutationThatDoesNotValidateStoresNothingSoItsKeyStaysUsable() {
		GraphQlHttp.Response invalid = http.query(token, "mutation { productCreate(input: {title: \"Lamp\"}) { nope } }",
				Map.of(), Map.of("Idempotency-Key", key));
		assertThat(invalid.firstErrorCode()).isEqualTo("GRAPHQL_VALIDATION_FAILED");

		GraphQlHttp.Response corrected = create(key, Map.of("title", "Lamp"));

		assertThat(corrected.status()).isEqualTo(200);
		assertThat(corrected.header("Idempotent-Replayed")).isNull();
		assertThat(products()).isEqualTo(1);
	}

	private GraphQlHttp.Response create(String idempotencyKey, Map<String, Object> input) {
		return http.query(token, CREATE, Map.of("input", input), Map.of("Idempotency-Key", idempotencyKey));
	}

	private long products() {
		return jdbc.sql("""
				SELECT count(*) FROM catalog.products p JOIN catalog.shops s ON s.id = p.shop_id
				WHERE s.shopify_domain = ?""").param(shop).query(Long.class).single();
	}

	private long keysOfShop() {
		return jdbc.sql("""
				SELECT count(*) FROM billing.idempotency_keys k JOIN catalog.shops s ON s.id = k.shop_id
				WHERE s.shopify_domain = ?""").param(shop).query(Long.class).single();
	}

	private long blockedOnProducts() {
		return jdbc.sql("""
				SELECT count(*) FROM pg_stat_activity
				WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO catalog.products%'""").query(Long.class).single();
	}

	private double outcomes(String outcome) {
		var counter = metrics.find("shelf.idempotency.requests").tag("outcome", outcome).counter();
		return counter == null ? 0 : counter.count();
	}
}
