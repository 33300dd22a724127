package dev.shelf.app.webhooks;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.shelf.catalog.Catalog;
import dev.shelf.catalog.Product;
import dev.shelf.catalog.ProductFilter;
import dev.shelf.catalog.ProductPageRequest;
import dev.shelf.catalog.ProductSortKey;
import dev.shelf.catalog.Shop;
import dev.shelf.catalog.Shops;
import dev.shelf.support.ShelfApplicationTest;
import dev.shelf.support.ShopifyWebhooks;
import dev.shelf.testing.Race;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.Lifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.shelf.support.SessionTokens.uniqueShop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shopify's deliveries end to end: real HTTP with Shopify's headers and HMAC, the durable inbox, the workers, and
 * the catalog and billing they feed. Shopify delivers at least once and in any order; every test here is one way
 * that goes wrong in real apps.
 */
@ShelfApplicationTest
class ShopifyWebhookTests {

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Catalog catalog;

	@Autowired
	Shops shops;

	@Autowired
	MeterRegistry metrics;

	@Autowired
	ApplicationContext context;

	String shop;

	@BeforeEach
	void setUp() {
		shop = uniqueShop("hooks");
	}

	@Test
	void aProductsCreateDeliveryIsAcknowledgedThenBecomesAProduct() {
		var response = delivery("products/create").body(product(632910392, "Linen Shirt", "2026-11-21T10:00:00Z")).send();

		assertThat(response.statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(10)).until(() -> products().size() == 1);
		Product product = products().get(0);
		assertThat(product.title()).isEqualTo("Linen Shirt");
		assertThat(catalog.variantsOf(shopId(), List.of(product.id())).get(product.id()).get(0).price().amount())
				.isEqualByComparingTo("19.99");
		assertThat(outcomes()).containsExactly("CREATED");
	}

	@Test
	void aHundredIdenticalDeliveriesAtOnceMakeOneInboxRowAndOneProduct() throws Exception {
		var delivery = delivery("products/create").body(product(9_007_199_254_740_993L, "Raced", "2026-11-21T10:00:00Z"));

		List<Integer> statuses = Race.run(100, () -> delivery.send().statusCode());

		assertThat(statuses).hasSize(100).containsOnly(200);
		assertThat(inboxRows()).isOne();
		await().atMost(Duration.ofSeconds(10)).until(() -> outcomes().equals(List.of("CREATED")));
		assertThat(products()).hasSize(1);
		assertThat(jdbc.sql("SELECT shopify_id FROM catalog.shopify_products WHERE shop_id = ?").param(shopId().value())
				.query(Long.class).single()).as("64-bit id kept exactly").isEqualTo(9_007_199_254_740_993L);
	}

	@Test
	void anOlderUpdateArrivingAfterANewerOneChangesNothing() {
		delivery("products/create").body(product(111, "Version 1", "2026-11-21T10:00:00Z")).send();
		// Processed before the next is sent: two workers could otherwise take both at once and apply version 3 first.
		await().atMost(Duration.ofSeconds(10)).until(() -> outcomes().size() == 1);
		delivery("products/update").body(product(111, "Version 3", "2026-11-21T12:00:00Z")).send();
		await().atMost(Duration.ofSeconds(10)).until(() -> outcomes().size() == 2);

		delivery("products/update").body(product(111, "Version 2", "2026-11-21T11:00:00Z")).send();

		await().atMost(Duration.ofSeconds(10)).until(() -> outcomes().size() == 3);
		assertThat(outcomes()).containsExactly("CREATED", "UPDATED", "STALE");
		assertThat(products().get(0).title()).isEqualTo("Version 3");
	}

	@Test
	void eachBadRequestGetsItsStatusAndStoresNothing() {
		String body = product(222, "Never stored", "2026-11-21T10:00:00Z");

		assertRejected(delivery("products/create").body(body).signature(""), 401);
		assertRejected(delivery("products/create").body(body).signature(ShopifyWebhooks.sign(body.getBytes(), "guess")), 401);
		assertRejected(delivery("products/create").body(body).withoutHeader("X-Shopify-Topic"), 400);
		assertRejected(delivery("products/create").body(body).withoutHeader("X-Shopify-Webhook-Id"), 400);
		assertRejected(delivery("products/create").body(body).withoutHeader("X-Shopify-API-Version"), 400);
		assertRejected(delivery("products/create").body(body).withoutHeader("X-Shopify-Shop-Domain"), 400);
		assertRejected(delivery("products/create").body(body).method("GET"), 405);
		assertRejected(delivery("products/create").bodyBytes(new byte[1024 * 1024 + 1]), 413);
		assertThat(metrics.get("shelf.webhooks.rejected").tag("reason", "invalid_hmac").counter().count()).isPositive();
	}

	@Test
	void malformedJsonWithAValidSignatureIsKeptAsDeadAndAnswered200() {
		var response = delivery("products/create").body("{\"id\": 1, \"title\": ").send();

		assertThat(response.statusCode()).as("Shopify must stop retrying what can never succeed").isEqualTo(200);
		assertThat(jdbc.sql("SELECT status || ' ' || last_error FROM webhooks.deliveries WHERE shop_id = ?")
				.param(shopId().value()).query(String.class).single()).startsWith("DEAD malformed JSON");
	}

	@Test
	void aFailingDeliveryIsRetriedWithBackoffThenDeadLetteredWithItsError() {
		// Valid JSON Shopify would never send: no updated_at. The handler fails on every attempt.
		delivery("products/update").body("{\"id\": 333, \"title\": \"No timestamp\", \"variants\": []}").send();

		await().atMost(Duration.ofSeconds(10)).until(() -> "DEAD".equals(status()));
		Map<String, Object> row = jdbc.sql("SELECT attempts, last_error FROM webhooks.deliveries WHERE shop_id = ?")
				.param(shopId().value()).query().singleRow();
		assertThat(row.get("attempts")).isEqualTo(3);
		assertThat((String) row.get("last_error")).contains("updated_at");
		assertThat(products()).isEmpty();
	}

	@Test
	void deliveriesAcknowledgedWhileProcessingIsDownAreAllProcessedExactlyOnceAfterwards() {
		Lifecycle workers = context.getBean("deliveryWorkers", Lifecycle.class);
		workers.stop();
		try {
			for (int i = 1; i <= 20; i++) {
				assertThat(delivery("products/create").body(product(1000 + i, "Backlog " + i, "2026-11-21T10:00:00Z"))
						.send().statusCode()).isEqualTo(200);
			}
			assertThat(outcomes()).as("acknowledged before any processing").isEmpty();
			assertThat(inboxRows()).isEqualTo(20);
		}
		finally {
			workers.start();
		}

		await().atMost(Duration.ofSeconds(20)).until(() -> outcomes().size() == 20);
		assertThat(outcomes()).containsOnly("CREATED");
		assertThat(jdbc.sql("SELECT max(attempts) FROM webhooks.deliveries WHERE shop_id = ?").param(shopId().value())
				.query(Integer.class).single()).isOne();
		assertThat(products()).hasSize(20);
	}

	@Test
	void ordersShopUpdatesAndUninstallsReachTheirModules() {
		delivery("orders/create").body("""
				{"id": 820982911946154508, "total_price": "199.65", "currency": "EUR",
				 "created_at": "2026-11-21T10:00:00+01:00", "customer": {"id": 115310627314723954}}""").send();
		delivery("shop/update").body("{\"iana_timezone\": \"Europe/Paris\", \"currency\": \"EUR\"}").send();
		delivery("app/uninstalled").body("{\"id\": 1}").send();

		await().atMost(Duration.ofSeconds(10)).until(() -> outcomes().size() == 3);
		assertThat(outcomes()).containsExactlyInAnyOrder("CHARGE_FAILED_NO_ACTIVE_SUBSCRIPTION", "UPDATED", "UNINSTALLED");
		assertThat(jdbc.sql("SELECT total_price::text || ' ' || currency_code FROM billing.orders WHERE shop_id = ?")
				.param(shopId().value()).query(String.class).single()).isEqualTo("199.6500 EUR");
		Shop updated = shops.find(shopId()).orElseThrow();
		assertThat(updated.ianaTimezone().getId()).isEqualTo("Europe/Paris");
		assertThat(updated.currencyCode()).isEqualTo("EUR");
		assertThat(jdbc.sql("SELECT uninstalled_at IS NOT NULL FROM catalog.shops WHERE id = ?").param(shopId().value())
				.query(Boolean.class).single()).isTrue();
	}

	@Test
	void aTopicWithoutAHandlerIsKeptVisiblyNotDropped() {
		delivery("collections/create").body("{\"id\": 5}").send();

		await().atMost(Duration.ofSeconds(10)).until(() -> outcomes().equals(List.of("UNHANDLED")));
		assertThat(metrics.get("shelf.webhooks.unhandled").tag("topic", "collections/create").counter().count())
				.isPositive();
	}

	private ShopifyWebhooks delivery(String topic) {
		return ShopifyWebhooks.delivery(port, topic, shop);
	}

	private void assertRejected(ShopifyWebhooks delivery, int status) {
		assertThat(delivery.send().statusCode()).as(delivery.webhookId()).isEqualTo(status);
		assertThat(jdbc.sql("SELECT count(*) FROM webhooks.deliveries WHERE webhook_id = ?").param(delivery.webhookId())
				.query(Long.class).single()).isZero();
	}

	private dev.shelf.catalog.ShopId shopId() {
		return shops.registerOnFirstSight(shop).id();
	}

	private List<Product> products() {
		return catalog.listProducts(shopId(), new ProductPageRequest(ProductSortKey.ID, false, true, 250, null, null,
				ProductFilter.NONE)).products();
	}

	private long inboxRows() {
		return jdbc.sql("SELECT count(*) FROM webhooks.deliveries WHERE shop_id = ?").param(shopId().value())
				.query(Long.class).single();
	}

	private List<String> outcomes() {
		return jdbc.sql("SELECT outcome FROM webhooks.deliveries WHERE shop_id = ? AND status = 'PROCESSED' ORDER BY processed_at, id")
				.param(shopId().value()).query(String.class).list();
	}

	private String status() {
		return jdbc.sql("SELECT status FROM webhooks.deliveries WHERE shop_id = ?").param(shopId().value())
				.query(String.class).single();
	}

	private static String product(long id, String title, String updatedAt) {
		return """
				{"id": %d, "title": "%s", "body_html": "<p>%s</p>", "vendor": "Acme", "product_type": "Shirts",
				 "handle": "p-%d", "status": "active", "tags": "summer, linen", "updated_at": "%s",
				 "variants": [{"id": %d, "title": "Default Title", "sku": "SKU-%d", "price": "19.99",
				               "compare_at_price": null, "inventory_quantity": 5, "position": 1}]}"""
				.formatted(id, title, title, id, updatedAt, id + 1, id);
	}
}
