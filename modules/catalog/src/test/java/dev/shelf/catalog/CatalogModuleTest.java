package dev.shelf.catalog;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.TestPropertySource;

/**
 * A catalog module test: the catalog (and migration) on the JVM's real PostgreSQL, one Spring context shared by every
 * class that carries this annotation. Tests isolate their data with a fresh shop each, as production isolates
 * tenants.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest
// The catalog's schema files extend the root schema that only `app` assembles; GraphQL is tested there.
@TestPropertySource(properties = "spring.autoconfigure.exclude="
		+ "org.springframework.boot.graphql.autoconfigure.GraphQlAutoConfiguration")
@interface CatalogModuleTest {
}
