package dev.shelf.migration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

/**
 * Auto-configured so that every Spring Boot context with this jar on its classpath — the application and each
 * module's tests alike — migrates module by module, and never lets Flyway's default scan of {@code db/migration}
 * put every module's tables into one schema.
 */
@AutoConfiguration(before = FlywayAutoConfiguration.class)
public class ModuleSchemaAutoConfiguration {

	@Bean
	FlywayMigrationStrategy moduleSchemaMigrations(ObjectProvider<ModuleSchema> schemas) {
		return new ModuleSchemaMigrations(schemas);
	}

	@Bean
	@Order(0)
	ModuleSchema migrationSchema() {
		return new ModuleSchema("migration");
	}
}
