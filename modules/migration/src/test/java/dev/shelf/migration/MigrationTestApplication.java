package dev.shelf.migration;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.graphql.autoconfigure.GraphQlAutoConfiguration;

/**
 * The migration module alone, for its tests (STACK.md #5: module tests need an application class). Its GraphQL
 * fields extend the root schema only {@code app} assembles, so they are tested there.
 */
@SpringBootApplication(exclude = GraphQlAutoConfiguration.class)
class MigrationTestApplication {
}
