package dev.shelf.app.catalog;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.shelf.support.ShelfApplicationTest;
import org.springframework.context.annotation.Import;

/**
 * {@link ShelfApplicationTest} with every SQL statement recorded in a {@link StatementLog}. Wrapping the DataSource
 * needs a context of its own; every class carrying this annotation shares that one extra context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ShelfApplicationTest
@Import(StatementLog.Recording.class)
@interface StatementLogTest {
}
