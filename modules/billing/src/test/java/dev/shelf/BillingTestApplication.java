package dev.shelf;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.graphql.autoconfigure.GraphQlAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Stands in for {@code ShelfApplication} (in {@code app}, which this module cannot see) for billing's own tests:
 * billing's internals plus migration, on real PostgreSQL (STACK.md #5). The catalog's GraphQL schema is on the
 * classpath but extends a root schema only {@code app} assembles, so GraphQL stays off. Without the actuator there
 * is no meter registry; billing's metrics go to a simple one.
 */
@SpringBootApplication(scanBasePackages = "dev.shelf.billing.internal", exclude = GraphQlAutoConfiguration.class)
class BillingTestApplication {

	@Bean
	MeterRegistry meterRegistry() {
		return new SimpleMeterRegistry();
	}
}
