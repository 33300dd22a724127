package dev.shelf.catalog;

import java.sql.SQLException;

import dev.shelf.testing.OwnDatabase;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The finalize gate in front of a contract script ({@code db/contract/catalog/V100}, which drops the legacy
 * personalizations): refused, and rolled back, while the backfill has not finished; applied once it has; applied at
 * once on a fresh database, whose jobs V6 registers finished. Each test migrates a database of its own, from empty,
 * as a deploy does, so dropping a table cannot disturb the other tests.
 */
class ContractGateTests {

	private static final String RELEASE = "classpath:db/migration/catalog";
	private static final String CONTRACT = "classpath:db/contract/catalog";

	OwnDatabase database;
	JdbcClient jdbc;

	@BeforeEach
	void createDatabase() throws SQLException {
		database = new OwnDatabase("contract");
		jdbc = database.jdbc();
	}

	@AfterEach
	void dropDatabase() throws SQLException {
		database.close();
	}

	@Test
	void onAFreshDatabaseTheJobsAreFinishedAtRegistrationAndTheContractRuns() {
		migrate("migration", null);
		migrate("catalog", null, RELEASE, CONTRACT);

		assertThat(status("catalog.products-backfill")).isEqualTo("FINISHED");
		assertThat(status("catalog.bundle-components-rewrite")).isEqualTo("FINISHED");
		assertThat(catalogVersion()).isEqualTo("100");
		assertThat(personalizationsExist()).isFalse();
	}

	@Test
	void withLegacyRowsTheContractIsRefusedUntilTheBackfillHasFinished() {
		migrate("migration", null);
		migrate("catalog", "4", RELEASE);
		// A legacy mirror, written before the release that registers the backfill.
		jdbc.sql("INSERT INTO catalog.shops (shopify_domain) VALUES ('legacy.myshopify.com')").update();
		jdbc.sql("""
				INSERT INTO catalog.shopify_products (shop_id, shopify_id, title, handle, status, shopify_updated_at)
				SELECT id, 1, 'Legacy', 'legacy', 'active', now() FROM catalog.shops""").update();

		assertThatThrownBy(() -> migrate("catalog", null, RELEASE, CONTRACT)).isInstanceOf(FlywayException.class)
				.hasMessageContaining("Background migration \"catalog.products-backfill\" has not finished (status PENDING")
				.hasMessageContaining("this script contracts the schema it migrates away from")
				.hasMessageContaining("migrations run --wait");

		assertThat(catalogVersion()).as("the release's own scripts applied (the last: V10), the contract rolled back")
				.isEqualTo("10");
		assertThat(status("catalog.products-backfill")).isEqualTo("PENDING");
		assertThat(status("catalog.bundle-components-rewrite")).as("no legacy bundle").isEqualTo("FINISHED");
		assertThat(personalizationsExist()).isTrue();

		// The engine marks the job so once its final check passed (BackgroundMigrationEngineTests).
		jdbc.sql("UPDATE migration.background_migrations SET status = 'FINISHED' WHERE name = 'catalog.products-backfill'")
				.update();
		migrate("catalog", null, RELEASE, CONTRACT);

		assertThat(catalogVersion()).isEqualTo("100");
		assertThat(personalizationsExist()).isFalse();
	}

	private void migrate(String schema, String target, String... locations) {
		database.migrate(schema, target, locations);
	}

	private String status(String job) {
		return jdbc.sql("SELECT status FROM migration.background_migrations WHERE name = ?").param(job)
				.query(String.class).single();
	}

	private String catalogVersion() {
		return jdbc.sql("""
				SELECT version FROM catalog.flyway_schema_history WHERE success ORDER BY installed_rank DESC LIMIT 1""")
				.query(String.class).single();
	}

	private boolean personalizationsExist() {
		return jdbc.sql("SELECT to_regclass('catalog.personalizations') IS NOT NULL").query(Boolean.class).single();
	}
}
