package dev.shelf.catalog;

/**
 * The id of a shop (tenant). Every tenant-scoped call takes one, so that no query can forget the tenant.
 * GraphQL controllers receive it as a method parameter resolved from the authenticated session.
 */
public record ShopId(long value) {

	public ShopId {
		if (value <= 0) {
			throw new IllegalArgumentException("A shop id is positive, got " + value);
		}
	}

	@Override
	public String toString() {
		return Long.toString(value);
	}
}
