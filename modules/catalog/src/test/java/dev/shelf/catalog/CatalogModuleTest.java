package dev.shelf.catalog;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * A catalog module test: the catalog's internals (and migration) on the JVM's real PostgreSQL (see
 * {@code dev.shelf.CatalogTestApplication}), one Spring context shared by every
 * class that carries this annotation. Tests isolate their data with a fresh shop each, as production isolates
 * tenants. Background migrations run only when a test runs them.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
// The engine's own thread stays off: tests that need background migrations run them (runUntilIdle).
@SpringBootTest(properties = "shelf.migration.runner-enabled=false")
@interface CatalogModuleTest {
}
