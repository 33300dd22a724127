package dev.shelf.testing;

import java.util.Map;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * Migrates one module schema of a test's own database as {@code ModuleSchemaMigrations} does at start-up, but only up
 * to a version if asked, and with extra script locations: for tests that need a database "as the previous release
 * left it" or a script the application does not ship.
 */
public final class ModuleFlyway {

	private ModuleFlyway() {
	}

	/** @param target the last version to apply, or null for all */
	public static void migrate(String url, String user, String password, String schema, String target,
			String... locations) {
		FluentConfiguration configuration = Flyway.configure()
				.dataSource(url, user, password)
				.schemas(schema).defaultSchema(schema).createSchemas(true)
				.locations(locations.length == 0 ? new String[] { "classpath:db/migration/" + schema } : locations)
				.configuration(Map.of("flyway.postgresql.transactional.lock", "false"));
		if (target != null) {
			configuration.target(target);
		}
		configuration.load().migrate();
	}
}
