package dev.shelf.migration.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The legacy app's database ({@code shelf.migration.legacy.*}, {@code SHELF_MIGRATION_LEGACY_URL} etc.): unset, Shelf
 * has no legacy database and refuses to import.
 *
 * @param maxConnections the legacy pool's size; 0 for the import's default concurrency plus two (on-demand fetches)
 */
@ConfigurationProperties("shelf.migration.legacy")
record LegacyDatabaseProperties(String url, String username, String password, @DefaultValue("0") int maxConnections) {
}
