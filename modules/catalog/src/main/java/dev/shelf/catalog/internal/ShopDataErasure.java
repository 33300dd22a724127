package dev.shelf.catalog.internal;

import java.util.List;

import dev.shelf.catalog.ErasedRows;
import dev.shelf.catalog.ShopId;
import dev.shelf.migration.TenantImports;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Deletes everything the catalog holds about a shop, a batch at a time, for Shopify's {@code shop/redact}. The
 * foreign keys have no cascades (DESIGN.md): the order below, children before parents, is what makes each batch
 * succeed, and each table's {@code shop_id}-led index is what makes each batch cheap.
 */
@Component
class ShopDataErasure {

	/** The shop's own row: deleted after all the tables below. */
	static final String SHOPS = "catalog.shops";

	/** Children before parents; {@link #SHOPS} is not here: it goes after all of them. */
	private static final List<String> TABLES = List.of("catalog.bundles", "catalog.personalizations",
			"catalog.product_variants", "catalog.shopify_products", "catalog.products");

	private final JdbcClient jdbc;
	private final TenantImports imports;

	ShopDataErasure(JdbcClient jdbc, TenantImports imports) {
		this.jdbc = jdbc;
		this.imports = imports;
	}

	ErasedRows eraseBatch(ShopId shop, int batchSize) {
		ErasedRows batch = ErasedRows.deleteFirstBatch(jdbc, TABLES, shop, batchSize);
		if (!batch.isEmpty()) {
			return batch;
		}
		// An imported shop's domain is also in the tenant import's state: forgotten there, but not its identity, so that
		// no later import brings the erased shop back from the legacy app.
		jdbc.sql("SELECT shopify_domain FROM catalog.shops WHERE id = :shop AND imported_at IS NOT NULL")
				.param("shop", shop.value()).query(String.class).optional().ifPresent(imports::forget);
		return ErasedRows.of(SHOPS,
				jdbc.sql("DELETE FROM catalog.shops WHERE id = :shop").param("shop", shop.value()).update());
	}
}
