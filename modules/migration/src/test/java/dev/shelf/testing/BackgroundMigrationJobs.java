package dev.shelf.testing;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Test-only control of the engine's tables. The test database is shared by a JVM's tests and lives as long as the
 * JVM, so a job that finished in one test (or at start-up, with nothing to migrate) is put back to PENDING, its
 * history cleared, before a test runs it over that test's data.
 */
public final class BackgroundMigrationJobs {

	private BackgroundMigrationJobs() {
	}

	public static void restart(JdbcClient jdbc, String name, int batchSize) {
		jdbc.sql("""
				DELETE FROM migration.background_migration_batches
				WHERE migration_id = (SELECT id FROM migration.background_migrations WHERE name = :name)""")
				.param("name", name).update();
		jdbc.sql("""
				DELETE FROM migration.background_migration_transitions
				WHERE migration_id = (SELECT id FROM migration.background_migrations WHERE name = :name)""")
				.param("name", name).update();
		int restarted = jdbc.sql("""
				UPDATE migration.background_migrations SET status = 'PENDING', min_key = NULL, max_key = NULL,
				    next_key = NULL, pass = 1, batch_size = :size, rows_done = 0, rows_total_estimate = NULL,
				    batches_done = 0, consecutive_failures = 0, failed_batches = 0, longest_batch_ms = 0,
				    last_error = NULL, throttled_reason = NULL, throttled_at = NULL, started_at = NULL,
				    last_batch_at = NULL, finished_at = NULL, updated_at = now()
				WHERE name = :name""")
				.param("name", name).param("size", batchSize).update();
		if (restarted != 1) {
			throw new IllegalStateException("No background migration named " + name + " is registered");
		}
	}

	public static String status(JdbcClient jdbc, String name) {
		return jdbc.sql("SELECT status FROM migration.background_migrations WHERE name = :name")
				.param("name", name).query(String.class).single();
	}
}
