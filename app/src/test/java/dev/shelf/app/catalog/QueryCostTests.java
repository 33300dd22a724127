package dev.shelf.app.catalog;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.shelf.billing.ApiThrottle;
import dev.shelf.catalog.ShopId;
import dev.shelf.catalog.Shops;
import dev.shelf.support.GraphQlHttp;
import dev.shelf.testing.Race;
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
 * Query cost and per-shop throttling (README "API guard rails"): the documented rules on sample queries, refusal
 * before execution, a shop's bucket shared through PostgreSQL, refilled at its rate, and one shop's burst leaving
 * another shop alone.
 */
@StatementLogTest
class QueryCostTests {

	@LocalServerPort
	int port;

	@Autowired
	StatementLog log;

	@Autowired
	Shops shops;

	@Autowired
	ApiThrottle throttle;

	@Autowired
	JdbcClient jdbc;

	GraphQlHttp graphql;
	String shop;
	ShopId shopId;

	@BeforeEach
	void setUp() {
		graphql = new GraphQlHttp(port);
		shop = uniqueShop("cost");
		shopId = shops.registerOnFirstSight(shop).id();
	}

	@Test
	void aQueryAboveTheMaximumCostIsRefusedBeforeAnyResolverRuns() {
		var recorded = log.record(() -> query("{ products(first: 250) { nodes { id variants(first: 100) { nodes { id } } } } }"));

		GraphQlHttp.Response response = recorded.result();
		assertThat(response.firstErrorCode()).isEqualTo("MAX_COST_EXCEEDED");
		assertThat(response.firstError().path("extensions").path("cost").asLong()).isEqualTo(2 + 250 * (1 + 2 + 100));
		assertThat(response.firstError().path("extensions").path("maxCost").asLong()).isEqualTo(1000);
		assertThat(response.data().isMissingNode() || response.data().isNull()).isTrue();
		assertThat(cost(response).path("requestedQueryCost").asLong()).isEqualTo(25_752);
		assertThat(cost(response).path("actualQueryCost").asLong()).isZero();
		// Only this shop's statements: the instance gives other shops' expired leases back meanwhile, on its own thread.
		assertThat(recorded.statements()).filteredOn(statement -> statement.isBoundTo(shopId.value()))
				.extracting(StatementLog.SqlStatement::sql)
				.noneMatch(sql -> sql.contains("catalog.products") || sql.contains("api_buckets"));
	}

	@Test
	void theCostExtensionFollowsTheDocumentedRules() {
		for (int i = 0; i < 3; i++) {
			assertThat(query("mutation($title: String!) { productCreate(input: {title: $title, variants: "
					+ "[{title: \"S\", price: \"1.00\"}, {title: \"M\", price: \"2.00\"}]}) { userErrors { code } } }",
					Map.of("title", "Shirt " + i)).body().toString()).doesNotContain("errors");
		}

		assertCost("{ shop { id } }", 1, 1);
		assertCost("{ products(first: 10) { nodes { id title } } }", 2 + 10, 2 + 3);
		assertCost("""
				{ products(first: 5) { edges { cursor node { id variants(first: 3) { nodes { price { amount } } } } }
				                       pageInfo { hasNextPage } } }""", 2 + 5 * (1 + 2 + 3 * (1 + 1)), 2 + 3 * (1 + 2 + 2 * 2));
		assertCost("{ products(first: 4) { nodes { id } edges { node { id } } } }", 2 + 4, 2 + 3);
		String shirt = query("{ products(first: 1) { nodes { id } } }").body().path("data").path("products").path("nodes")
				.path(0).path("id").asString();
		// An interface: the fields of the type the object turns out to be; each shirt has two variants.
		assertCost("{ node(id: \"" + shirt + "\") { id ... on Product { variants(first: 5) { nodes { id } } } } }",
				1 + 2 + 5, 1 + 2 + 2);
		// A list of objects: each id asked for is costed; an id that finds nothing (null) costs nothing actually.
		assertCost("{ nodes(ids: [\"" + shirt + "\", \"gid://shelf/Product/999999999\"]) { id ... on Product { "
				+ "variants(first: 5) { nodes { id } } } } }", 2 * (1 + 2 + 5), 1 + 2 + 2);
		assertCost("mutation { productCreate(input: {title: \"One more\"}) { product { id variants(first: 5) { nodes { id } } } } }",
				10, 10);
	}

	@Test
	void everyResponseCarriesTheShopsThrottleStatus() {
		JsonNode cost = cost(query("{ shop { id } }"));

		assertThat(cost.path("throttleStatus").path("maximumAvailable").asDouble()).isEqualTo(1000);
		assertThat(cost.path("throttleStatus").path("restoreRate").asDouble()).isEqualTo(100);
		assertThat(cost.path("throttleStatus").path("currentlyAvailable").asDouble()).isBetween(999.0, 1000.0);
	}

	@Test
	void aShopThatBurstsIsThrottledWithRetryAfterWhileAnotherShopIsUnaffected() throws Exception {
		// 200 shop fields: requested = actual = 200, so nothing is refunded; ten at once ask for twice the bucket.
		String expensive = "{ " + IntStream.range(0, 200).mapToObj(i -> "s" + i + ": shop { id }")
				.collect(Collectors.joining(" ")) + " }";
		List<GraphQlHttp.Response> burst = Race.run(10, () -> query(expensive));

		List<GraphQlHttp.Response> throttled = burst.stream().filter(r -> r.status() == 429).toList();
		assertThat(throttled).isNotEmpty();
		assertThat(burst.size() - throttled.size()).as("admitted").isBetween(5, 6);
		GraphQlHttp.Response refused = throttled.get(0);
		assertThat(refused.firstErrorCode()).isEqualTo("THROTTLED");
		assertThat(refused.firstError().path("extensions").path("retryAfterSeconds").asDouble()).isPositive();
		assertThat(Long.parseLong(refused.header("Retry-After"))).isPositive();
		assertThat(cost(refused).path("actualQueryCost").asLong()).isZero();

		String neighbour = uniqueShop("cost-neighbour");
		GraphQlHttp.Response other = graphql.query(forShop(neighbour).token(), expensive);
		assertThat(other.status()).isEqualTo(200);
		assertThat(other.body().has("errors")).isFalse();
	}

	@Test
	void aBucketRefillsAtItsRestoreRate() {
		ApiThrottle.Limits bucket = ApiThrottle.Limits.of(new ApiThrottle.Bucket(1000, 100));
		long started = System.nanoTime();
		assertThat(throttle.admit(shopId, 1000, bucket).available()).isZero();
		assertThat(throttle.admit(shopId, 1, bucket).admitted()).isFalse();

		// Two seconds pass (moved back in the row instead of waiting): 200 points come back, no more.
		jdbc.sql("UPDATE billing.api_buckets SET updated_at = updated_at - interval '2 seconds' WHERE shop_id = ?")
				.param(shopId.value()).update();
		ApiThrottle.Admission admission = throttle.admit(shopId, 150, bucket);

		assertThat(admission.admitted()).isTrue();
		assertThat(admission.available()).isBetween(50.0, 50.0 + 100 * secondsSince(started) + 1);
		assertThat(throttle.admit(shopId, 60, bucket).admitted()).isFalse();
	}

	@Test
	void aShopOnAPlanWithItsOwnLimitsGetsThatPlansBucket() {
		ApiThrottle.Limits limits = new ApiThrottle.Limits(new ApiThrottle.Bucket(1000, 100),
				Map.of("growth", new ApiThrottle.Bucket(5000, 250)));
		long started = System.nanoTime();
		assertThat(throttle.admit(shopId, 10, limits).bucket()).isEqualTo(new ApiThrottle.Bucket(1000, 100));

		jdbc.sql("""
				INSERT INTO billing.subscriptions (shop_id, plan_handle, shopify_subscription_id, usage_line_item_id, status,
				    recurring_price, usage_fee, capped_amount, currency_code, test, activated_at)
				VALUES (?, 'growth', 'gid://shopify/AppSubscription/1', 'gid://shopify/AppSubscriptionLineItem/1', 'ACTIVE',
				        29, 0.05, 200, 'USD', true, now())""").param(shopId.value()).update();
		ApiThrottle.Admission refused = throttle.admit(shopId, 1200, limits);
		assertThat(refused.bucket()).isEqualTo(new ApiThrottle.Bucket(5000, 250));
		assertThat(refused.admitted()).as("a bigger plan refills at its rate; it does not fill at once").isFalse();

		// One second later (moved back in the row): 990 + 250 points, above the standard bucket's size of 1,000.
		jdbc.sql("UPDATE billing.api_buckets SET updated_at = updated_at - interval '1 second' WHERE shop_id = ?")
				.param(shopId.value()).update();
		ApiThrottle.Admission admission = throttle.admit(shopId, 1200, limits);
		assertThat(admission.admitted()).isTrue();
		// Plus what the bucket refilled while the statements ran: a busy machine takes a while between them.
		assertThat(admission.available()).isBetween(40.0, 40.0 + 250 * secondsSince(started) + 1);
	}

	@Test
	void concurrentRequestsOfOneShopNeverOverdrawItsBucket() throws Exception {
		ApiThrottle.Limits bucket = ApiThrottle.Limits.of(new ApiThrottle.Bucket(1000, 1));

		List<Boolean> admitted = Race.run(50, () -> throttle.admit(shopId, 100, bucket).admitted());

		assertThat(admitted.stream().filter(a -> a).count()).isEqualTo(10);
	}

	private static double secondsSince(long nanoTime) {
		return (System.nanoTime() - nanoTime) / 1e9;
	}

	private void assertCost(String document, long requested, long actual) {
		GraphQlHttp.Response response = query(document);
		assertThat(response.body().has("errors")).as(response.body().toString()).isFalse();
		assertThat(cost(response).path("requestedQueryCost").asLong()).as("requested: " + document).isEqualTo(requested);
		assertThat(cost(response).path("actualQueryCost").asLong()).as("actual: " + document).isEqualTo(actual);
	}

	private GraphQlHttp.Response query(String document) {
		return query(document, Map.of());
	}

	private GraphQlHttp.Response query(String document, Map<String, Object> variables) {
		return graphql.query(forShop(shop).token(), document, variables, Map.of());
	}

	private static JsonNode cost(GraphQlHttp.Response response) {
		return response.body().path("extensions").path("cost");
	}
}
