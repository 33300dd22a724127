package dev.shelf.catalog.internal;

import java.util.List;

import dev.shelf.catalog.ErasedRows;
import dev.shelf.catalog.ShopId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Deletes everything the catalog holds about a shop, a batch at a time, for Shopify's {@code shop/redact}. The
 * foreign keys have no cascades (DESIGN.md): the order below, children before parents, is what makes each batch
 * succeed, and each table's {@code shop_id}-led index is what makes each batch cheap.
 */
@Component
class ShopDataErasure {

	/** Children before parents; {@code catalog.shops} is not here: it goes after all of them. */
	private static final List<String> TABLES = List.of("catalog.bundles", "catalog.personalizations",
			"catalog.product_variants", "catalog.shopify_products", "catalog.products");

	private final JdbcClient jdbc;

	ShopDataErasure(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	ErasedRows eraseBatch(ShopId shop, int batchSize) {
		ErasedRows batch = ErasedRows.deleteFirstBatch(jdbc, TABLES, shop, batchSize);
		if (!batch.isEmpty()) {
			return batch;
		}
		return ErasedRows.of("catalog.shops",
				jdbc.sql("DELETE FROM catalog.shops WHERE id = :shop").param("shop", shop.value()).update());
	}
}
