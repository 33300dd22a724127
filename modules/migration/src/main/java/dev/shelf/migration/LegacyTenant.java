package dev.shelf.migration;

/**
 * A tenant of the legacy app, as its {@link LegacyTenantSource} lists it.
 *
 * @param legacyId the tenant's key in the legacy database; tenants are listed in its order
 * @param key the tenant's stable, unique name across both apps (for a Shopify app, the shop's domain as the legacy
 *     app spelled it): the import's state is kept under it, so a tenant is imported once whatever its legacy id
 */
public record LegacyTenant(long legacyId, String key) {

	public LegacyTenant {
		if (key == null || key.isBlank() || key.length() > 255) {
			throw new IllegalArgumentException("A legacy tenant's key is 1 to 255 characters, got: " + key);
		}
	}
}
