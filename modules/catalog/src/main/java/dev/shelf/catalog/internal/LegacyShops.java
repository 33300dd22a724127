package dev.shelf.catalog.internal;

import java.util.List;

import dev.shelf.migration.LegacyDatabase;
import dev.shelf.migration.LegacyTenant;
import dev.shelf.migration.LegacyTenantSource;
import org.springframework.stereotype.Component;

/** The legacy app's tenants are its shops, named by their domain as the legacy app stored it. */
@Component
class LegacyShops implements LegacyTenantSource {

	@Override
	public List<LegacyTenant> tenantsAfter(LegacyDatabase legacy, long afterLegacyId, int limit) {
		return legacy.jdbc().sql("SELECT id, domain FROM shops WHERE id > ? ORDER BY id LIMIT ?")
				.params(afterLegacyId, limit)
				.query((row, n) -> new LegacyTenant(row.getLong("id"), row.getString("domain")))
				.list();
	}

	@Override
	public long count(LegacyDatabase legacy) {
		return legacy.jdbc().sql("SELECT count(*) FROM shops").query(Long.class).single();
	}
}
