package dev.shelf;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.graphql.autoconfigure.GraphQlAutoConfiguration;

/**
 * Stands in for {@code ShelfApplication} (in {@code app}, which this module cannot see) for the catalog's own
 * tests: the catalog's internals plus its dependency, migration, on real PostgreSQL (STACK.md #5). The catalog's
 * GraphQL layer is left out — its schema extends the root schema only {@code app} assembles, and it is tested there.
 * Spring Modulith's {@code @ApplicationModuleTest} is not used because its type filter drops migration's
 * auto-configuration, which builds the module schemas.
 */
@SpringBootApplication(scanBasePackages = "dev.shelf.catalog.internal", exclude = GraphQlAutoConfiguration.class)
class CatalogTestApplication {
}
