package dev.shelf.catalog.internal;

import dev.shelf.migration.ModuleSchema;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

@Configuration(proxyBeanMethods = false)
class CatalogSchemaConfiguration {

	/** After {@code migration} (order 0): catalog depends on it. */
	@Bean
	@Order(10)
	ModuleSchema catalogSchema() {
		return new ModuleSchema("catalog");
	}
}
