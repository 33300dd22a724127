package dev.shelf.app.webhooks;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.shelf.catalog.Shops;
import dev.shelf.support.GraphQlHttp;
import dev.shelf.support.SessionTokens;
import dev.shelf.support.ShelfApplicationTest;
import dev.shelf.support.ShopifyWebhooks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static dev.shelf.support.SessionTokens.uniqueShop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shopify's mandatory privacy topics, end to end: data is seeded in every module the way it really arrives (webhooks,
 * GraphQL mutations, legacy rows), then each request must leave exactly what the law and Shopify require — and the
 * checks look at every table of every module's schema, so a table added later without its part in the erasure fails
 * here.
 */
@ShelfApplicationTest
class PrivacyTopicsTests {

	private static final List<String> MODULE_SCHEMAS = List.of("migration", "catalog", "billing", "webhooks");
	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Shops shops;

	GraphQlHttp graphql;

	@BeforeEach
	void setUp() {
		graphql = new GraphQlHttp(port);
	}

	@Test
	void afterShopRedactNothingOfTheShopRemainsInAnySchemaAndOtherShopsAreUntouched() {
		String erased = uniqueShop("redacted");
		String neighbour = uniqueShop("neighbour");
		long erasedId = seedEverywhere(erased);
		long neighbourId = seedEverywhere(neighbour);
		Map<String, Long> neighbourRows = rowsOf(neighbourId);

		ShopifyWebhooks.delivery(port, "shop/redact", erased)
				.body("{\"shop_id\": 954889, \"shop_domain\": \"" + erased + "\"}").send();

		await().atMost(Duration.ofSeconds(20)).until(() -> erasure(erased).path("completed").asBoolean());
		assertThat(rowsOf(erasedId)).as("rows with the shop's id, per table").allSatisfy((table, rows) ->
				assertThat(rows).as(table).isZero());
		assertThat(rowsMentioning(erased)).as("rows whose text holds the shop's domain, per table")
				.allSatisfy((table, rows) -> assertThat(rows).as(table).isZero());
		assertThat(rowsOf(neighbourId)).isEqualTo(neighbourRows);

		JsonNode record = erasure(erased);
		assertThat(record.path("shopDomain").isNull()).isTrue();
		Map<String, Long> deleted = JSON.readValue(record.path("result").asString(),
				JSON.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Long.class));
		assertThat(deleted).containsEntry("catalog.shops", 1L).containsEntry("billing.orders", 2L)
				.containsEntry("catalog.bundles", 1L).containsEntry("catalog.personalizations", 1L)
				.containsEntry("catalog.products", 2L).containsEntry("catalog.shopify_products", 1L)
				.containsEntry("webhooks.privacy_requests", 1L);
		assertThat(deleted.get("webhooks.deliveries")).as("every delivery, the shop/redact itself included").isEqualTo(6L);
	}

	/**
	 * Billing refuses to delete (a trigger stands in for an outage) after the webhooks module's batches committed. The
	 * run fails visibly; when its lease ends (moved to the past here instead of waiting five minutes) the next run
	 * takes the erasure over, and the record counts every row once.
	 */
	@Test
	void anErasureThatFailsHalfWayResumesAfterItsLeaseAndCountsEveryRowOnce() {
		String shop = uniqueShop("resumed");
		long shopId = seedEverywhere(shop);
		String function = "refuse_order_deletes_" + shopId;
		jdbc.sql("CREATE FUNCTION billing." + function + "() RETURNS trigger LANGUAGE plpgsql AS "
				+ "$$ BEGIN RAISE EXCEPTION 'simulated billing outage'; END $$").update();
		jdbc.sql("CREATE TRIGGER " + function + " BEFORE DELETE ON billing.orders FOR EACH ROW WHEN (OLD.shop_id = "
				+ shopId + ") EXECUTE FUNCTION billing." + function + "()").update();
		try {
			ShopifyWebhooks.delivery(port, "shop/redact", shop).body("{\"shop_domain\": \"" + shop + "\"}").send();
			await().atMost(Duration.ofSeconds(20)).until(() -> !erasure(shop).path("result").asString().equals("{}"));
			await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql(
					"SELECT count(*) FROM webhooks.deliveries WHERE shop_id = ?").param(shopId).query(Long.class).single() == 0);
			assertThat(erasure(shop).path("completed").asBoolean()).isFalse();
			assertThat(rowsOf(shopId).get("billing.orders")).isEqualTo(2);
		}
		finally {
			jdbc.sql("DROP TRIGGER " + function + " ON billing.orders").update();
			jdbc.sql("DROP FUNCTION billing." + function + "()").update();
		}
		jdbc.sql("UPDATE webhooks.privacy_requests SET leased_until = now() - interval '1 second' "
				+ "WHERE shop_id = ? AND kind = 'SHOP_REDACT'").param(shopId).update();

		await().atMost(Duration.ofSeconds(20)).until(() -> erasure(shop).path("completed").asBoolean());
		assertThat(rowsOf(shopId)).allSatisfy((table, rows) -> assertThat(rows).as(table).isZero());
		Map<String, Long> deleted = JSON.readValue(erasure(shop).path("result").asString(),
				JSON.getTypeFactory().constructMapType(LinkedHashMap.class, String.class, Long.class));
		assertThat(deleted).containsEntry("webhooks.deliveries", 6L).containsEntry("billing.orders", 2L)
				.containsEntry("catalog.shops", 1L);
	}

	/**
	 * The intake remembers each domain's shop id; the erasure deletes the shop's row, so it must make the intake
	 * forget that id: a shop installing again afterwards is a new tenant, and its deliveries belong to it.
	 */
	@Test
	void aShopInstallingAgainAfterItsErasureIsANewTenantAndItsDeliveriesAreItsOwn() {
		String shop = uniqueShop("returning");
		String shopUpdate = "{\"iana_timezone\": \"Europe/Paris\", \"currency\": \"EUR\"}";
		assertThat(ShopifyWebhooks.delivery(port, "shop/update", shop).body(shopUpdate).send().statusCode()).isEqualTo(200);
		long erasedId = shopIdOf(shop);
		ShopifyWebhooks.delivery(port, "shop/redact", shop).body("{\"shop_domain\": \"" + shop + "\"}").send();
		await().atMost(Duration.ofSeconds(20)).until(() -> erasure(shop).path("completed").asBoolean());

		var again = ShopifyWebhooks.delivery(port, "shop/update", shop).body(shopUpdate);
		assertThat(again.send().statusCode()).isEqualTo(200);

		long newId = shopIdOf(shop);
		assertThat(newId).isNotEqualTo(erasedId);
		assertThat(jdbc.sql("SELECT shop_id FROM webhooks.deliveries WHERE webhook_id = ?").param(again.webhookId())
				.query(Long.class).single()).isEqualTo(newId);
		await().atMost(Duration.ofSeconds(20)).until(() -> "UPDATED".equals(jdbc.sql(
				"SELECT outcome FROM webhooks.deliveries WHERE webhook_id = ?").param(again.webhookId())
				.query(String.class).optional().orElse(null)));
	}

	private long shopIdOf(String domain) {
		return jdbc.sql("SELECT id FROM catalog.shops WHERE shopify_domain = ?").param(domain).query(Long.class).single();
	}

	@Test
	void customerRedactForgetsTheCustomerInBillingAndInStoredBodiesAndNothingElse() {
		String shop = uniqueShop("forget");
		long shopId = shops.registerOnFirstSight(shop).id().value();
		order(shop, 501, 77, "ada@example.com").send();
		order(shop, 502, 88, "grace@example.com").send();
		ShopifyWebhooks.delivery(port, "customers/update", shop)
				.body("{\"id\": 77, \"email\": \"ada@example.com\"}").send();
		await().atMost(Duration.ofSeconds(10)).until(() -> processed(shopId) == 3);

		ShopifyWebhooks.delivery(port, "customers/redact", shop).body("""
				{"shop_id": 954889, "shop_domain": "%s", "customer": {"id": 77, "email": "ada@example.com",
				 "phone": "555-625-1199"}, "orders_to_redact": [501]}""".formatted(shop)).send();
		await().atMost(Duration.ofSeconds(10)).until(() -> processed(shopId) == 4);

		assertThat(jdbc.sql("SELECT shopify_order_id || ':' || coalesce(customer_id::text, '-') FROM billing.orders "
				+ "WHERE shop_id = ? ORDER BY 1").param(shopId).query(String.class).list())
				.containsExactly("501:-", "502:88");
		assertThat(jdbc.sql("SELECT count(*) FROM webhooks.deliveries WHERE shop_id = ? "
				+ "AND convert_from(body, 'UTF8') LIKE '%ada@example.com%'").param(shopId).query(Long.class).single())
				.as("bodies mentioning the customer, the customers/redact itself included").isZero();
		assertThat(jdbc.sql("SELECT count(*) FROM webhooks.deliveries WHERE shop_id = ? "
				+ "AND convert_from(body, 'UTF8') LIKE '%grace@example.com%'").param(shopId).query(Long.class).single())
				.as("another customer's order").isEqualTo(1);
		JsonNode request = privacyRequests(shop).get(0);
		assertThat(request.path("kind").asString()).isEqualTo("CUSTOMER_REDACT");
		assertThat(request.path("customerId").asString()).isEqualTo("77");
		assertThat(JSON.readTree(request.path("result").asString()).path("billing.orders").asLong()).isEqualTo(1);
		assertThat(JSON.readTree(request.path("result").asString()).path("webhooks.deliveries.body").asLong()).isEqualTo(3);
	}

	@Test
	void customerDataRequestProducesAnExportOperatorsCanRead() {
		String shop = uniqueShop("export");
		long shopId = shops.registerOnFirstSight(shop).id().value();
		order(shop, 9_007_199_254_740_993L, 77, "ada@example.com").send();
		order(shop, 602, 88, "grace@example.com").send();
		await().atMost(Duration.ofSeconds(10)).until(() -> processed(shopId) == 2);

		ShopifyWebhooks.delivery(port, "customers/data_request", shop).body("""
				{"shop_id": 954889, "shop_domain": "%s", "orders_requested": [9007199254740993],
				 "customer": {"id": 77, "email": "ada@example.com", "phone": "555-625-1199"},
				 "data_request": {"id": 9999}}""".formatted(shop)).send();
		await().atMost(Duration.ofSeconds(10)).until(() -> !privacyRequests(shop).isEmpty());

		JsonNode request = privacyRequests(shop).get(0);
		assertThat(request.path("kind").asString()).isEqualTo("CUSTOMER_DATA_REQUEST");
		assertThat(request.path("completed").asBoolean()).isTrue();
		assertThat(request.path("shopifyRequestId").asString()).isEqualTo("9999");
		JsonNode export = JSON.readTree(request.path("result").asString());
		assertThat(export.path("billing").path("orders")).hasSize(1);
		assertThat(export.path("billing").path("orders").path(0).path("shopifyOrderId").asString())
				.isEqualTo("9007199254740993");
		assertThat(export.path("webhooks").path("deliveries")).hasSize(1);
		assertThat(export.path("webhooks").path("deliveries").path(0).path("body").asString()).contains("ada@example.com");
		assertThat(export.toString()).doesNotContain("grace@example.com");
	}

	/** Data in every module, the way it arrives: webhooks, the frontend's mutations, legacy rows. */
	private long seedEverywhere(String shop) {
		long shopId = shops.registerOnFirstSight(shop).id().value();
		String token = SessionTokens.forShop(shop).token();
		ShopifyWebhooks.delivery(port, "products/create", shop).body("""
				{"id": 632910392, "title": "Linen Shirt", "handle": "linen", "status": "active", "tags": "",
				 "updated_at": "2026-11-21T10:00:00Z",
				 "variants": [{"id": 808950810, "title": "S", "price": "19.99", "inventory_quantity": 1}]}""").send();
		order(shop, 701, 77, "ada@example.com").send();
		order(shop, 702, 88, "grace@example.com").send();
		ShopifyWebhooks.delivery(port, "customers/data_request", shop).body("""
				{"shop_id": 1, "shop_domain": "%s", "orders_requested": [701], "customer": {"id": 77},
				 "data_request": {"id": 1}}""".formatted(shop)).send();
		ShopifyWebhooks.delivery(port, "orders/create", shop).body("{never parsed").send();
		await().atMost(Duration.ofSeconds(10)).until(() -> processed(shopId) == 4);
		assertThat(graphql.query(token, "mutation { productCreate(input: {title: \"Gift card\"}) { userErrors { code } } }")
				.data().path("productCreate").path("userErrors")).isEmpty();
		long mirror = jdbc.sql("SELECT id FROM catalog.shopify_products WHERE shop_id = ?").param(shopId)
				.query(Long.class).single();
		jdbc.sql("INSERT INTO catalog.personalizations (shop_id, shopify_product_id, customizations) "
				+ "VALUES (?, ?, '{\"title\": \"Our linen\"}')").params(shopId, mirror).update();
		jdbc.sql("INSERT INTO catalog.bundles (shop_id, title, components) "
				+ "VALUES (?, 'Summer set', '[{\"shopify_product_id\": 632910392, \"quantity\": 2}]')").param(shopId).update();
		return shopId;
	}

	private ShopifyWebhooks order(String shop, long orderId, long customerId, String email) {
		return ShopifyWebhooks.delivery(port, "orders/create", shop).body("""
				{"id": %d, "total_price": "10.00", "currency": "EUR", "created_at": "2026-11-21T10:00:00Z",
				 "email": "%s", "customer": {"id": %d, "email": "%s"}}""".formatted(orderId, email, customerId, email));
	}

	private long processed(long shopId) {
		return jdbc.sql("SELECT count(*) FROM webhooks.deliveries WHERE shop_id = ? AND status = 'PROCESSED'")
				.param(shopId).query(Long.class).single();
	}

	/** Rows per {@code schema.table} carrying this shop id, for every table of every module that has a shop_id. */
	private Map<String, Long> rowsOf(long shopId) {
		Map<String, Long> rows = new LinkedHashMap<>();
		for (String table : tables("shop_id")) {
			rows.put(table, jdbc.sql("SELECT count(*) FROM " + table + " WHERE shop_id = ?").param(shopId)
					.query(Long.class).single());
		}
		rows.put("catalog.shops", jdbc.sql("SELECT count(*) FROM catalog.shops WHERE id = ?").param(shopId)
				.query(Long.class).single());
		return rows;
	}

	/** Rows per table whose text (every column, JSON and bytea as text) contains the value, in every module table. */
	private Map<String, Long> rowsMentioning(String value) {
		Map<String, Long> rows = new LinkedHashMap<>();
		for (String table : tables(null)) {
			rows.put(table, jdbc.sql("SELECT count(*) FROM " + table + " t WHERE t::text LIKE ? "
					+ "OR (to_jsonb(t) ->> 'body') IS NOT NULL AND position(convert_to(?, 'UTF8') IN decode(substr(to_jsonb(t) ->> 'body', 3), 'hex')) > 0")
					.params("%" + value + "%", value).query(Long.class).single());
		}
		return rows;
	}

	private List<String> tables(String withColumn) {
		return jdbc.sql("""
				SELECT t.table_schema || '.' || t.table_name FROM information_schema.tables t
				WHERE t.table_schema = ANY(?) AND t.table_type = 'BASE TABLE' AND t.table_name <> 'flyway_schema_history'
				  AND (CAST(? AS text) IS NULL OR EXISTS (SELECT 1 FROM information_schema.columns c
				       WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.column_name = ?))
				ORDER BY 1""")
				.params(MODULE_SCHEMAS.toArray(String[]::new), withColumn, withColumn).query(String.class).list();
	}

	private List<JsonNode> privacyRequests(String shop) {
		GraphQlHttp.Response response = graphql.asOperator("""
				query($shop: String) {
				  privacyRequests(shopDomain: $shop) {
				    nodes { id kind shopDomain customerId shopifyRequestId completed completedAt result }
				  }
				}""", Map.of("shop", shop));
		assertThat(response.body().path("errors").isMissingNode()).as(response.body().toString()).isTrue();
		return response.data().path("privacyRequests").path("nodes").valueStream().toList();
	}

	private JsonNode erasure(String shop) {
		return privacyRequests(shop).stream().filter(r -> r.path("kind").asString().equals("SHOP_REDACT")).findFirst()
				.orElseThrow();
	}
}
