package dev.shelf;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * Stands in for {@code ShelfApplication} (in {@code app}, which this module cannot see) for the catalog's own
 * tests: the catalog module plus its dependency, migration, on real PostgreSQL (STACK.md #5). Spring Modulith's
 * {@code @ApplicationModuleTest} is not used because its type filter drops migration's auto-configuration, which
 * builds the module schemas.
 */
@SpringBootApplication
class CatalogTestApplication {
}
