package dev.shelf.app.migration;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.shelf.support.ShelfProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shelf killed with {@code kill -9} in the middle of a backfill batch — products inserted and mirrors linked, not yet
 * committed — then started again: the backfill resumes at its cursor and ends with every legacy row migrated once,
 * counts and checksums equal to what the legacy rows said. Both runs are the real application in child JVMs on a
 * database of their own, migrated first to the release before (catalog V4) and filled with legacy rows. The kill
 * lands inside a batch every time, not by luck: a table lock the test holds stops the batch at its variants.
 */
class BackgroundMigrationCrashRecoveryTests {

	private static final int LEGACY_MIRRORS = 20_000;
	private static final String BACKFILL = "catalog.products-backfill";

	@TempDir
	Path logs;

	ShelfProcesses shelf;
	JdbcClient jdbc;

	@BeforeEach
	void databaseAsThePreviousReleaseLeftIt() throws SQLException {
		shelf = new ShelfProcesses(logs, "backfill_crash");
		jdbc = shelf.database().jdbc();
		shelf.database().migrate("migration", null);
		shelf.database().migrate("catalog", "4");
		jdbc.sql("INSERT INTO catalog.shops (shopify_domain) VALUES ('legacy-crash.myshopify.com')").update();
		jdbc.sql("""
				INSERT INTO catalog.shopify_products (shop_id, shopify_id, title, body_html, handle, status, tags,
				                                      shopify_updated_at, created_at, updated_at)
				SELECT s.id, 9000000000000 + n, 'Legacy ' || n, '<p>' || n || '</p>', 'legacy-' || n,
				       (ARRAY['active', 'draft', 'archived'])[1 + n % 3], ARRAY['t' || n % 7], '2024-01-01T00:00:00Z',
				       '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z'
				FROM catalog.shops s CROSS JOIN generate_series(1, :count) n""").param("count", LEGACY_MIRRORS).update();
		jdbc.sql("""
				INSERT INTO catalog.personalizations (shop_id, shopify_product_id, customizations)
				SELECT shop_id, id, jsonb_build_object('title', 'Merchant ' || id) FROM catalog.shopify_products
				WHERE id % 10 = 0""").update();
		jdbc.sql("""
				INSERT INTO catalog.product_variants (shop_id, shopify_product_id, shopify_variant_id, title, price,
				                                      currency_code, position)
				SELECT m.shop_id, m.id, m.shopify_id * 10 + v, 'Size ' || v, 10, 'USD', v
				FROM catalog.shopify_products m CROSS JOIN generate_series(1, 2) v""").update();
		jdbc.sql("""
				INSERT INTO catalog.bundles (shop_id, title, components)
				SELECT s.id, 'Bundle ' || b, jsonb_build_array(jsonb_build_object('shopify_product_id', 9000000000000 + b,
				                                                                  'quantity', 2))
				FROM catalog.shops s CROSS JOIN generate_series(1, 50) b""").update();
		// V2 moved the products' ids past the legacy mirrors' (with headroom); it ran on an empty table here.
		jdbc.sql("SELECT setval(pg_get_serial_sequence('catalog.products', 'id'), 50000 + :count)")
				.param("count", LEGACY_MIRRORS).query().listOfRows();
		jdbc.sql("ANALYZE").update();
	}

	@AfterEach
	void dropDatabase() throws SQLException, InterruptedException {
		shelf.close();
	}

	@Test
	void aBackfillKilledInTheMiddleOfABatchResumesAndMigratesEveryRowOnce() throws Exception {
		String expected = checksumOfWhatTheLegacyRowsSay();
		try {
			ShelfProcesses.Child first = start("first", "--shelf.migration.lock-timeout=60s");
			await().atMost(Duration.ofSeconds(60)).until(() -> succeededBatches() >= 5);
			long committedBeforeKill;
			try (Connection variantsLock = shelf.database().connect()) {
				variantsLock.setAutoCommit(false);
				variantsLock.createStatement().execute("LOCK TABLE catalog.product_variants IN SHARE MODE");
				awaitBatchWaitingForTheLock();
				committedBeforeKill = jdbc.sql("SELECT count(*) FROM catalog.products").query(Long.class).single();
				first.kill();
				// Its backend gets the lock, finds its client gone and rolls the whole batch back.
				variantsLock.rollback();
			}
			assertThat(committedBeforeKill).as("killed in the middle of the backfill").isBetween(1L, LEGACY_MIRRORS - 1L);

			start("second");
			await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).until(() -> jdbc.sql(
					"SELECT count(*) FROM migration.background_migrations WHERE status = 'FINISHED'")
					.query(Long.class).single() == 2);

			assertThat(jdbc.sql("SELECT rows_done FROM migration.background_migrations WHERE name = ?").param(BACKFILL)
					.query(Long.class).single()).as("each row counted once").isEqualTo(LEGACY_MIRRORS);
			assertThat(jdbc.sql("SELECT count(*) FROM catalog.products").query(Long.class).single())
					.isEqualTo(LEGACY_MIRRORS);
			assertThat(jdbc.sql("SELECT count(*) FROM catalog.shopify_products WHERE product_id IS DISTINCT FROM id")
					.query(Long.class).single()).isZero();
			assertThat(jdbc.sql("SELECT count(*) FROM catalog.product_variants WHERE product_id IS DISTINCT FROM shopify_product_id")
					.query(Long.class).single()).isZero();
			assertThat(checksumOfTheProducts()).as("what the products say").isEqualTo(expected);
			assertThat(jdbc.sql("""
					SELECT count(*) FROM catalog.bundles b WHERE b.components = jsonb_build_array(jsonb_build_object(
					    'product_id', (SELECT m.id FROM catalog.shopify_products m WHERE m.shopify_id = 9000000000000 + b.id),
					    'quantity', 2))""").query(Long.class).single()).isEqualTo(50);
			List<Map<String, Object>> batches = jdbc.sql("""
					SELECT b.from_key, b.to_key FROM migration.background_migration_batches b
					JOIN migration.background_migrations j ON j.id = b.migration_id
					WHERE j.name = ? AND b.status = 'SUCCEEDED' ORDER BY b.id""").param(BACKFILL).query().listOfRows();
			for (int i = 1; i < batches.size(); i++) {
				assertThat(batches.get(i).get("from_key")).as("batch %d starts where the one before ended", i)
						.isEqualTo(batches.get(i - 1).get("to_key"));
			}
			System.out.printf("Backfill crash test: %d of %d products committed before the kill, %d batches in all%n",
					committedBeforeKill, LEGACY_MIRRORS, batches.size());
		}
		catch (Throwable failure) {
			shelf.printLogs();
			throw failure;
		}
	}

	/** Small batches, so that the kill lands among many; a quick look for work after the restart. */
	private ShelfProcesses.Child start(String name, String... more) throws IOException {
		List<String> arguments = new java.util.ArrayList<>(List.of("--shelf.migration.initial-batch-size=200",
				"--shelf.migration.max-batch-size=500", "--shelf.migration.poll-interval=200ms"));
		arguments.addAll(List.of(more));
		return shelf.start(name, arguments.toArray(String[]::new));
	}

	private long succeededBatches() {
		return jdbc.sql("SELECT count(*) FROM migration.background_migration_batches WHERE status = 'SUCCEEDED'")
				.query(Long.class).single();
	}

	/** The runner's batch, inside its transaction, blocked by the test at the variants. */
	private void awaitBatchWaitingForTheLock() {
		await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("""
				SELECT count(*) FROM pg_stat_activity
				WHERE datname = current_database() AND wait_event_type = 'Lock' AND state = 'active'
				  AND strpos(query, 'WITH legacy AS') > 0""").query(Long.class).single() == 1);
	}

	private String checksumOfWhatTheLegacyRowsSay() {
		return jdbc.sql("""
				SELECT md5(string_agg(m.id || '|' || coalesce(z.customizations ->> 'title', m.title) || '|' || m.handle
				                      || '|' || upper(m.status) || '|' || array_to_string(m.tags, ','), ';' ORDER BY m.id))
				FROM catalog.shopify_products m
				LEFT JOIN catalog.personalizations z ON z.shop_id = m.shop_id AND z.shopify_product_id = m.id""")
				.query(String.class).single();
	}

	private String checksumOfTheProducts() {
		return jdbc.sql("""
				SELECT md5(string_agg(p.id || '|' || p.title || '|' || p.handle || '|' || p.status || '|'
				                      || array_to_string(p.tags, ','), ';' ORDER BY p.id))
				FROM catalog.products p""").query(String.class).single();
	}
}
