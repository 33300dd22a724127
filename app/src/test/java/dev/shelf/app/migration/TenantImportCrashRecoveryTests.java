package dev.shelf.app.migration;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import dev.shelf.support.GraphQlHttp;
import dev.shelf.support.ShelfApplicationTest;
import dev.shelf.support.ShelfProcesses;
import dev.shelf.testing.LegacyApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shelf killed with {@code kill -9} in the middle of a legacy-tenant import — tenants imported, others with their shop
 * committed and their orders' transaction open — then started again and the import run again: every tenant ends
 * imported once (or skipped), the interrupted ones resumed at their orders step, no order twice and none missing. The
 * real application in child JVMs on a database of its own; the kill lands inside billing's step every time, not by
 * luck: a table lock the test holds stops the steps at their orders insert.
 */
class TenantImportCrashRecoveryTests {

	private static final int TENANTS = 300;

	@TempDir
	Path logs;

	ShelfProcesses shelf;
	LegacyApp legacyApp;
	JdbcClient jdbc;

	@BeforeEach
	void legacyApp() throws SQLException {
		shelf = new ShelfProcesses(logs, "import_crash");
		jdbc = shelf.database().jdbc();
		legacyApp = new LegacyApp();
		legacyApp.generate("crash", TENANTS, 50, 60);
	}

	@AfterEach
	void dropDatabases() throws SQLException, InterruptedException {
		shelf.close();
		legacyApp.close();
	}

	@Test
	void anImportKilledInTheMiddleOfTenantsResumesAndImportsEveryTenantOnce() throws Exception {
		try {
			ShelfProcesses.Child first = start("first");
			startImport(first);
			await().atMost(Duration.ofSeconds(60)).until(() -> tenants("IMPORTED") >= 20);
			try (Connection ordersLock = shelf.database().connect()) {
				ordersLock.setAutoCommit(false);
				ordersLock.createStatement().execute("LOCK TABLE billing.orders IN SHARE MODE");
				await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("""
						SELECT count(*) FROM pg_stat_activity
						WHERE datname = current_database() AND wait_event_type = 'Lock' AND state = 'active'
						  AND strpos(query, 'INSERT INTO billing.orders') > 0""").query(Long.class).single() >= 1);
				first.kill();
				// Their backends get the lock, find their client gone and roll the steps back.
				ordersLock.rollback();
			}
			long interrupted = tenants("RUNNING");
			assertThat(interrupted).as("killed with tenants in flight").isPositive();
			assertThat(tenants("IMPORTED")).as("killed in the middle of the import").isBetween(20L, TENANTS - 1L);

			ShelfProcesses.Child second = start("second");
			startImport(second);
			await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).until(() -> jdbc.sql(
					"SELECT count(*) FROM migration.tenant_import_runs WHERE status = 'FINISHED'").query(Long.class)
					.single() == 1);

			assertThat(tenants("IMPORTED") + tenants("SKIPPED")).isEqualTo(TENANTS);
			assertThat(tenants("SKIPPED")).as("uninstalled in the legacy app: tenants 50, 100, …").isEqualTo(6);
			assertThat(jdbc.sql("SELECT count(*) FROM catalog.shops WHERE imported_at IS NOT NULL").query(Long.class)
					.single()).isEqualTo(TENANTS - 6);
			assertThat(jdbc.sql("SELECT count(*) FROM billing.orders").query(Long.class).single())
					.as("every imported shop's newest 50 legacy orders that have a Shopify id, once")
					.isEqualTo(expectedOrders());
			assertThat(jdbc.sql("SELECT count(*) FROM billing.legacy_order_imports").query(Long.class).single())
					.isEqualTo(TENANTS - 6);
			assertThat(jdbc.sql("SELECT count(*) FROM migration.tenant_imports WHERE attempts = 2").query(Long.class)
					.single()).as("the interrupted tenants, resumed").isEqualTo(interrupted);
			assertThat(jdbc.sql("""
					SELECT count(*) FROM migration.tenant_imports WHERE attempts = 2
					  AND steps_done <> ARRAY['catalog.shop-settings', 'billing.recent-orders']""").query(Long.class)
					.single()).isZero();
		}
		catch (Throwable failure) {
			shelf.printLogs();
			throw failure;
		}
	}

	private ShelfProcesses.Child start(String name) throws IOException {
		return shelf.start(name, "--shelf.migration.legacy.url=" + legacyApp.url(),
				"--shelf.migration.legacy.username=" + legacyApp.username(),
				"--shelf.migration.legacy.password=" + legacyApp.password(),
				"--shelf.operator.password=" + ShelfApplicationTest.OPERATOR_PASSWORD,
				"--shelf.migration.runner-enabled=false");
	}

	private static void startImport(ShelfProcesses.Child child) {
		GraphQlHttp.Response started = new GraphQlHttp(child.port()).asOperator(
				"mutation { tenantImportStart(dryRun: false, concurrency: 4) { userErrors { message } } }", Map.of());
		assertThat(started.data().path("tenantImportStart").path("userErrors").isEmpty()).as(started.body().toString())
				.isTrue();
	}

	private long tenants(String status) {
		return jdbc.sql("SELECT count(*) FROM migration.tenant_imports WHERE status = ?").param(status)
				.query(Long.class).single();
	}

	private long expectedOrders() {
		return legacyApp.jdbc().sql("""
				SELECT count(*) FROM shops s CROSS JOIN LATERAL (
				    SELECT o.shopify_order_id FROM orders o WHERE o.shop_id = s.id AND o.created_at IS NOT NULL
				    ORDER BY o.created_at DESC, o.id DESC LIMIT 50) recent
				WHERE coalesce(s.status, '') <> 'uninstalled' AND recent.shopify_order_id ~ '^[0-9]+$'""")
				.query(Long.class).single();
	}
}
