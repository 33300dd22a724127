package dev.shelf.app.database;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.shelf.support.ShelfApplicationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data rules of DESIGN.md §2, checked against the schema every module's migrations actually built (and against
 * the scripts and sources), so a migration or query that breaks one fails the build. Each rule exists because of a
 * production incident; see DESIGN.md for which.
 */
@ShelfApplicationTest
class DatabaseRulesTests {

	private static final List<String> MODULE_SCHEMAS = List.of("migration", "catalog", "billing", "webhooks");

	/** Indexes that may not lead with shop_id, each with its reason. */
	private static final Set<String> CROSS_SHOP_INDEXES = Set.of(
			"deliveries_due_idx", // webhooks: the workers' queue is served oldest-first across all shops
			"deliveries_body_retention_idx", "deliveries_row_retention_idx", // webhooks: the retention purge spans shops
			"privacy_requests_pending_erasure_idx", // webhooks: the erasure runner's queue spans shops
			// webhooks: one request per delivery (delivery ids are global); an erasure's row outlives its shop_id
			"privacy_requests_delivery_key",
			"usage_charges_unsettled_idx", // billing: the senders' and the reconciler's queue spans shops
			"idempotency_keys_expiry_idx", // billing: the purge of expired idempotency keys spans shops
			// catalog: the products backfill's batches span shops (key ranges of mirror ids); it holds only the legacy
			// variants still to re-point, so it is empty once the backfill finished, and goes with the legacy column
			"product_variants_unlinked_idx");

	/** Tables that are not per-tenant, each with its reason. */
	private static final Set<String> NOT_TENANT_TABLES = Set.of(
			"catalog.shops", // the tenant table itself: its id is the shop_id
			// migration: the background migration engine's jobs, their batch runs and status transitions. A job
			// migrates every shop's rows at once (it walks a table's primary key), so none of them belongs to a shop.
			"migration.background_migrations", "migration.background_migration_batches",
			"migration.background_migration_transitions",
			// migration: the tenant import's runs and per-tenant state. A legacy tenant is known there by its legacy
			// key (the shop's domain as the legacy app spelled it) before any shop_id exists, and whatever happens to it.
			"migration.tenant_import_runs", "migration.tenant_imports",
			"flyway_schema_history"); // per schema, Flyway's own

	@Autowired
	JdbcClient jdbc;

	@Test
	void everyModuleOwnsItsSchemaWithItsOwnMigrationHistory() {
		List<String> histories = jdbc.sql("""
				SELECT table_schema FROM information_schema.tables
				WHERE table_name = 'flyway_schema_history' ORDER BY table_schema""").query(String.class).list();

		assertThat(histories).containsExactlyInAnyOrderElementsOf(MODULE_SCHEMAS);
		assertThat(tablesIn("public")).as("nothing lands in the public schema").isEmpty();
	}

	@Test
	void timestampsCarryATimeZone() {
		assertThat(columnsOfType("timestamp without time zone", "time without time zone")).isEmpty();
	}

	@Test
	void moneyAndQuantitiesAreNeverFloatingPoint() {
		assertThat(columnsOfType("real", "double precision", "money")).isEmpty();
	}

	@Test
	void noForeignKeyDeletesInCascade() {
		List<String> cascades = jdbc.sql("""
				SELECT conrelid::regclass::text || '.' || conname FROM pg_constraint
				WHERE contype = 'f' AND confdeltype = 'c' AND connamespace::regnamespace::text = ANY(:schemas)""")
				.param("schemas", MODULE_SCHEMAS.toArray(String[]::new)).query(String.class).list();

		assertThat(cascades).isEmpty();
	}

	@Test
	void everyTenantTableHasAShopId() {
		List<String> withoutShopId = jdbc.sql("""
				SELECT t.table_schema || '.' || t.table_name FROM information_schema.tables t
				WHERE t.table_schema = ANY(:schemas) AND t.table_type = 'BASE TABLE'
				  AND NOT EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_schema = t.table_schema
				                  AND c.table_name = t.table_name AND c.column_name = 'shop_id')""")
				.param("schemas", MODULE_SCHEMAS.toArray(String[]::new)).query(String.class).list();

		assertThat(withoutShopId).allSatisfy(table -> assertThat(isExempt(table)).as(table).isTrue());
	}

	@Test
	void everySecondaryIndexOfATenantTableLeadsWithShopId() {
		List<String> indexes = jdbc.sql("""
				SELECT n.nspname || '.' || t.relname || ' ' || i.relname || ' ' || a.attname
				FROM pg_index x
				JOIN pg_class i ON i.oid = x.indexrelid
				JOIN pg_class t ON t.oid = x.indrelid
				JOIN pg_namespace n ON n.oid = t.relnamespace
				JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0]
				WHERE n.nspname = ANY(:schemas) AND NOT x.indisprimary""")
				.param("schemas", MODULE_SCHEMAS.toArray(String[]::new)).query(String.class).list();

		assertThat(indexes).allSatisfy(index -> {
			String table = index.substring(0, index.indexOf(' '));
			String name = index.split(" ")[1];
			assertThat(isExempt(table) || CROSS_SHOP_INDEXES.contains(name) || index.endsWith(" shop_id")).as(index)
					.isTrue();
		});
	}

	@Test
	void everyMigrationScriptSetsALockTimeoutBeforeAnythingElse() throws IOException {
		Resource[] scripts = new PathMatchingResourcePatternResolver().getResources("classpath*:db/migration/**/*.sql");

		assertThat(scripts).hasSizeGreaterThanOrEqualTo(MODULE_SCHEMAS.size());
		for (Resource script : scripts) {
			String sql = script.getContentAsString(StandardCharsets.UTF_8).replaceAll("(?m)^\\s*--.*$", "").strip();
			String firstStatement = sql.split(";", 2)[0];
			if (outsideTransaction(script)) {
				// A plain SET outlives the script on the pooled connection, so such a script must reset it.
				assertThat(firstStatement).as(script.getDescription()).matches("(?is)SET\\s+lock_timeout\\s*=.*");
				assertThat(sql).as(script.getDescription()).containsIgnoringCase("RESET lock_timeout");
			}
			else {
				// LOCAL: the setting ends with the script's transaction instead of staying on a pooled connection.
				assertThat(firstStatement).as(script.getDescription()).matches("(?is)SET\\s+LOCAL\\s+lock_timeout\\s*=.*");
			}
		}
	}

	private static boolean outsideTransaction(Resource script) throws IOException {
		Resource conf = script.createRelative(script.getFilename() + ".conf");
		return conf.exists() && conf.getContentAsString(StandardCharsets.UTF_8).contains("executeInTransaction=false");
	}

	@Test
	void noSqlPagesWithOffset() throws IOException {
		Pattern offset = Pattern.compile("\\bOFFSET\\s+(\\d|:|\\?)", Pattern.CASE_INSENSITIVE);
		Path repository = Path.of("").toAbsolutePath().getParent();
		try (Stream<Path> sources = Files.walk(repository)) {
			List<Path> offenders = sources
					.filter(p -> p.toString().contains("/src/main/") && p.toString().matches(".*\\.(java|sql)$"))
					.filter(p -> offset.matcher(read(p)).find())
					.toList();
			assertThat(offenders).as("keyset pagination only: OFFSET costs grow with the page number").isEmpty();
		}
	}

	private boolean isExempt(String table) {
		return NOT_TENANT_TABLES.contains(table) || table.endsWith(".flyway_schema_history");
	}

	/** Flyway's history table is Flyway's design, not ours. */
	private List<String> columnsOfType(String... types) {
		return jdbc.sql("""
				SELECT table_schema || '.' || table_name || '.' || column_name FROM information_schema.columns
				WHERE table_schema = ANY(:schemas) AND data_type = ANY(:types)
				  AND table_name <> 'flyway_schema_history'""")
				.param("schemas", MODULE_SCHEMAS.toArray(String[]::new)).param("types", types)
				.query(String.class).list();
	}

	private List<String> tablesIn(String schema) {
		return jdbc.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = :schema")
				.param("schema", schema).query(String.class).list();
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
	}
}
