package dev.shelf.migration;

import java.util.List;

/**
 * SPI of the tenant import: where the tenants of the legacy app are listed. Implemented by the module that knows the
 * legacy app's tenant table (the catalog: legacy shops); exactly one bean.
 */
public interface LegacyTenantSource {

	/** The tenants whose legacy id is above {@code afterLegacyId}, in legacy id order, at most {@code limit}. */
	List<LegacyTenant> tenantsAfter(LegacyDatabase legacy, long afterLegacyId, int limit);

	/** How many tenants the legacy app has: the denominator of an import's progress. */
	long count(LegacyDatabase legacy);
}
