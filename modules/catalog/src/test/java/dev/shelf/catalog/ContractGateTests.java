package dev.shelf.catalog;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;

import dev.shelf.testing.TestDatabase;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

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

	JdbcConnectionDetails server;
	String database;
	SingleConnectionDataSource connection;
	JdbcClient jdbc;

	@BeforeEach
	void createDatabase() throws SQLException {
		server = TestDatabase.connectionDetails();
		database = "contract_" + UUID.randomUUID().toString().replace("-", "");
		try (Connection admin = connect(server.getJdbcUrl())) {
			admin.createStatement().execute("CREATE DATABASE " + database);
		}
		connection = new SingleConnectionDataSource(connect(url()), true);
		jdbc = JdbcClient.create(connection);
	}

	@AfterEach
	void dropDatabase() throws SQLException {
		connection.destroy();
		try (Connection admin = connect(server.getJdbcUrl())) {
			admin.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
		}
	}

	@Test
	void onAFreshDatabaseTheJobsAreFinishedAtRegistrationAndTheContractRuns() {
		migrate("migration", null, "classpath:db/migration/migration");
		migrate("catalog", null, RELEASE, CONTRACT);

		assertThat(status("catalog.products-backfill")).isEqualTo("FINISHED");
		assertThat(status("catalog.bundle-components-rewrite")).isEqualTo("FINISHED");
		assertThat(catalogVersion()).isEqualTo("100");
		assertThat(personalizationsExist()).isFalse();
	}

	@Test
	void withLegacyRowsTheContractIsRefusedUntilTheBackfillHasFinished() {
		migrate("migration", null, "classpath:db/migration/migration");
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

		assertThat(catalogVersion()).as("the release's own scripts applied, the contract rolled back").isEqualTo("6");
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

	/** What ModuleSchemaMigrations does for one schema, with a target version and extra locations. */
	private void migrate(String schema, String target, String... locations) {
		var configuration = Flyway.configure()
				.dataSource(url(), server.getUsername(), server.getPassword())
				.schemas(schema).defaultSchema(schema).createSchemas(true)
				.locations(locations)
				.configuration(Map.of("flyway.postgresql.transactional.lock", "false"));
		if (target != null) {
			configuration.target(target);
		}
		configuration.load().migrate();
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

	private Connection connect(String url) throws SQLException {
		return DriverManager.getConnection(url, server.getUsername(), server.getPassword());
	}

	private String url() {
		return server.getJdbcUrl().replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]*", "$1" + database);
	}
}
