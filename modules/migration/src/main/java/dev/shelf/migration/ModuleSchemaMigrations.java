package dev.shelf.migration;

import java.util.Map;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;

/**
 * Runs Flyway once per {@link ModuleSchema}: scripts from that module's folder only, applied inside that schema,
 * with the schema's history table kept in the schema itself. A module therefore owns its tables and its migration
 * history, and the version numbers of two modules never collide. A script may run outside a transaction (a
 * {@code <script>.sql.conf} with {@code executeInTransaction=false}, for {@code CREATE INDEX CONCURRENTLY}).
 */
class ModuleSchemaMigrations implements FlywayMigrationStrategy {

	private static final Logger log = LoggerFactory.getLogger(ModuleSchemaMigrations.class);

	private final ObjectProvider<ModuleSchema> schemas;

	ModuleSchemaMigrations(ObjectProvider<ModuleSchema> schemas) {
		this.schemas = schemas;
	}

	@Override
	public void migrate(Flyway configured) {
		for (ModuleSchema schema : schemas.orderedStream().toList()) {
			MigrateResult result = Flyway.configure()
					.configuration(configured.getConfiguration())
					.schemas(schema.name())
					.defaultSchema(schema.name())
					.createSchemas(true)
					.locations(schema.scriptLocation())
					// Flyway's default lock lives in a transaction, and CREATE INDEX CONCURRENTLY in a module's
					// non-transactional script would wait on it until lock_timeout; the session-level lock still keeps
					// two instances from migrating at once.
					.configuration(Map.of("flyway.postgresql.transactional.lock", "false"))
					.load()
					.migrate();
			log.info("Schema {} is at version {} ({} script(s) applied now)", schema.name(),
					result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion,
					result.migrationsExecuted);
		}
	}
}
