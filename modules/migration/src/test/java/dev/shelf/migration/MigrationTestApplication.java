package dev.shelf.migration;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The migration module alone, for its tests (STACK.md #5: module tests need an application class). */
@SpringBootApplication
class MigrationTestApplication {
}
