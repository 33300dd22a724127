package dev.shelf;

import dev.shelf.billing.ShopifyAppCredentials;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.graphql.autoconfigure.GraphQlAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Stands in for {@code ShelfApplication} (in {@code app}) for billing's own tests: billing's internals, the catalog's
 * shops it depends on, and migration, on real PostgreSQL; Shopify is the JVM's {@code FakeShopify}. The GraphQL
 * layer is left out (its schema extends the root schema only {@code app} assembles; it is tested there).
 */
@SpringBootApplication(scanBasePackages = { "dev.shelf.billing.internal", "dev.shelf.catalog.internal" },
		exclude = GraphQlAutoConfiguration.class)
class BillingTestApplication {

	static final String CLIENT_ID = "shelf-billing-test-client";

	@Bean
	MeterRegistry meterRegistry() {
		return new SimpleMeterRegistry();
	}

	@Bean
	ShopifyAppCredentials shopifyAppCredentials() {
		return new ShopifyAppCredentials() {
			@Override
			public String clientId() {
				return CLIENT_ID;
			}

			@Override
			public String clientSecret() {
				return "shelf-billing-test-secret-0123456789abcdef";
			}
		};
	}
}
