package dev.shelf.webhooks.internal;

import dev.shelf.migration.ModuleSchema;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebhookProperties.class)
class WebhooksConfiguration {

	/** Last: webhooks depends on every other module. */
	@Bean
	@Order(30)
	ModuleSchema webhooksSchema() {
		return new ModuleSchema("webhooks");
	}
}
