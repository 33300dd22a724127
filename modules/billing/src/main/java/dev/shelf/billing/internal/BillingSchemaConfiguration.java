package dev.shelf.billing.internal;

import dev.shelf.migration.ModuleSchema;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

@Configuration(proxyBeanMethods = false)
class BillingSchemaConfiguration {

	/** After {@code migration} and {@code catalog}, which billing depends on. */
	@Bean
	@Order(20)
	ModuleSchema billingSchema() {
		return new ModuleSchema("billing");
	}
}
