package dev.shelf.migration.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the tenant import ({@code shelf.migration.tenant-import.*}; README "Legacy-tenant import").
 *
 * @param concurrency tenants imported at once when a run does not say
 * @param pageSize legacy tenants listed (and registered in the state table) per statement
 * @param maxProblemsPerTenant mapping problems listed per tenant and step; more are counted, not listed
 */
@ConfigurationProperties("shelf.migration.tenant-import")
record TenantImportProperties(@DefaultValue("8") int concurrency, @DefaultValue("500") int pageSize,
		@DefaultValue("100") int maxProblemsPerTenant) {

	TenantImportProperties {
		if (concurrency < 1 || concurrency > dev.shelf.migration.TenantImportOptions.MAX_CONCURRENCY) {
			throw new IllegalArgumentException("shelf.migration.tenant-import.concurrency is 1 to "
					+ dev.shelf.migration.TenantImportOptions.MAX_CONCURRENCY);
		}
		if (pageSize < 1 || maxProblemsPerTenant < 0) {
			throw new IllegalArgumentException("shelf.migration.tenant-import.page-size >= 1, max-problems-per-tenant >= 0");
		}
	}
}
