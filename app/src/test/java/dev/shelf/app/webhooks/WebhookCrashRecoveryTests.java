package dev.shelf.app.webhooks;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.shelf.support.ShelfProcesses;
import dev.shelf.support.ShopifyWebhooks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.shelf.support.SessionTokens.uniqueShop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shelf killed with {@code kill -9} in the middle of a backlog, then started again: every delivery it had acknowledged
 * is processed, each exactly once. Both runs are the real application in child JVMs, on a database of their own in the
 * test JVM's PostgreSQL (so the test JVM's workers, if a Spring context is up, cannot take part). The kill lands, every
 * time and not by luck, after a handler has done its work and before its delivery is marked processed.
 */
class WebhookCrashRecoveryTests {

	private static final int DELIVERIES = 300;

	/** A delivery claimed by the killed run is claimed again after this lease, instead of the default 5 minutes. */
	private static final String LEASE = "2s";

	@TempDir
	Path logs;

	ShelfProcesses shelf;
	JdbcClient jdbc;

	@BeforeEach
	void createDatabase() throws SQLException {
		shelf = new ShelfProcesses(logs, "crash");
		jdbc = shelf.database().jdbc();
	}

	@AfterEach
	void dropDatabase() throws SQLException, InterruptedException {
		shelf.close();
	}

	private ShelfProcesses.Child start(String name) throws IOException {
		return shelf.start(name, "--shelf.webhooks.workers=1", "--shelf.webhooks.processing-lease=" + LEASE);
	}

	@Test
	void everyDeliveryAcknowledgedBeforeAKillIsProcessedExactlyOnceAfterTheRestart() throws Exception {
		String shop = uniqueShop("crash");
		List<Long> productIds = consecutive(1_000_001, DELIVERIES);
		try {
			ShelfProcesses.Child first = start("first");

			CompletableFuture<Void> acknowledged = sendAll(first.port(), shop, productIds);
			// Some processed, most still waiting (one worker, deliveries arriving from four senders).
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
					.until(() -> processed(shop) >= (acknowledged.isDone() ? 1 : DELIVERIES / 4));
			try (Connection variantsLock = shelf.database().connect(); Connection inboxLock = shelf.database().connect()) {
				// The kill must land at the worst moment: the handler has done all its work, the delivery is not yet
				// marked processed. Two table locks put the worker there, with no production change and whatever the
				// machine's speed. First it stops inside a handler, about to write a product's variants (intake writes
				// no variants, so every delivery is still acknowledged meanwhile) ...
				lock(variantsLock, "catalog.product_variants");
				acknowledged.get(60, TimeUnit.SECONDS);
				awaitWorkerWaitingAt("DELETE FROM catalog.product_variants");
				// ... then it finishes the handler and waits to mark the delivery processed. (Its transaction holds
				// only a row lock on the inbox, which lets the test's SHARE lock through.)
				lock(inboxLock, "webhooks.deliveries");
				variantsLock.rollback();
				awaitWorkerWaitingAt("SET status = 'PROCESSED'");

				first.kill();
				// Its backend, waiting, gets the lock, finds its client gone and rolls the whole transaction back.
				inboxLock.rollback();
			}
			long processedBeforeKill = processed(shop);
			assertThat(processedBeforeKill).as("killed in the middle of the backlog").isBetween(1L, DELIVERIES - 1L);

			start("second");
			await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
					.until(() -> processed(shop) == DELIVERIES);

			List<Map<String, Object>> deliveries = jdbc.sql("""
					SELECT status, outcome, attempts FROM webhooks.deliveries d JOIN catalog.shops s ON s.id = d.shop_id
					WHERE s.shopify_domain = ?""").param(shop).query().listOfRows();
			assertThat(deliveries).hasSize(DELIVERIES).allSatisfy(delivery -> {
				assertThat(delivery.get("status")).isEqualTo("PROCESSED");
				// Had any handler's work survived the kill, its second run would have found the product: DUPLICATE.
				assertThat(delivery.get("outcome")).isEqualTo("CREATED");
			});
			assertThat(deliveries).extracting(delivery -> (Integer) delivery.get("attempts"))
					.as("one attempt each; two for the delivery the kill interrupted")
					.containsOnly(1, 2).filteredOn(attempts -> attempts == 2).hasSize(1);
			assertThat(jdbc.sql("""
					SELECT m.shopify_id FROM catalog.shopify_products m JOIN catalog.shops s ON s.id = m.shop_id
					WHERE s.shopify_domain = ? ORDER BY m.shopify_id""").param(shop).query(Long.class).list())
					.as("one product per delivery, none twice").isEqualTo(productIds);
			assertThat(count(shop, "catalog.products")).isEqualTo(DELIVERIES);
			assertThat(count(shop, "catalog.product_variants")).isEqualTo(DELIVERIES * 2L);
			System.out.printf("Crash test: %d of %d deliveries processed before the kill, the rest after the restart%n",
					processedBeforeKill, DELIVERIES);
		}
		catch (Throwable failure) {
			shelf.printLogs();
			throw failure;
		}
	}

	/** From a few threads at once, as Shopify does; completes when every one is acknowledged with 200. */
	private static CompletableFuture<Void> sendAll(int port, String shop, List<Long> productIds) {
		ExecutorService senders = Executors.newFixedThreadPool(4);
		CompletableFuture<?>[] sent = productIds.stream()
				.map(id -> CompletableFuture.runAsync(() -> assertThat(ShopifyWebhooks
						.delivery(port, "products/create", shop).body(product(id)).send().statusCode())
						.as("acknowledged").isEqualTo(200), senders))
				.toArray(CompletableFuture[]::new);
		return CompletableFuture.allOf(sent).whenComplete((done, failure) -> senders.shutdown());
	}

	private static void lock(Connection connection, String table) throws SQLException {
		connection.setAutoCommit(false);
		connection.createStatement().execute("LOCK TABLE " + table + " IN SHARE MODE");
	}

	/** The first run's one worker, inside a delivery's transaction, blocked by the test at this statement. */
	private void awaitWorkerWaitingAt(String statement) {
		await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("""
				SELECT count(*) FROM pg_stat_activity
				WHERE datname = current_database() AND wait_event_type = 'Lock' AND state = 'active'
				  AND strpos(query, ?) > 0""").param(statement).query(Long.class).single() == 1);
	}

	private long processed(String shop) {
		return jdbc.sql("""
				SELECT count(*) FROM webhooks.deliveries d JOIN catalog.shops s ON s.id = d.shop_id
				WHERE s.shopify_domain = ? AND d.status = 'PROCESSED'""").param(shop).query(Long.class).single();
	}

	private long count(String shop, String table) {
		return jdbc.sql("SELECT count(*) FROM " + table + " t JOIN catalog.shops s ON s.id = t.shop_id "
				+ "WHERE s.shopify_domain = ?")
				.param(shop).query(Long.class).single();
	}

	private static List<Long> consecutive(long first, int count) {
		return IntStream.range(0, count).mapToObj(i -> first + i).toList();
	}

	private static String product(long id) {
		return """
				{"id": %d, "title": "Crash %d", "body_html": "<p>Backlog</p>", "vendor": "Acme", "product_type": "Shirts",
				 "handle": "crash-%d", "status": "active", "tags": "crash", "updated_at": "2026-11-21T10:00:00Z",
				 "variants": [{"id": %d, "title": "S", "sku": "SKU-%d-S", "price": "19.99", "compare_at_price": null,
				               "inventory_quantity": 5, "position": 1},
				              {"id": %d, "title": "M", "sku": "SKU-%d-M", "price": "19.99", "compare_at_price": "24.99",
				               "inventory_quantity": 3, "position": 2}]}"""
				.formatted(id, id, id, id * 10 + 1, id, id * 10 + 2, id);
	}
}
