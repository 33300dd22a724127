package dev.shelf.billing.internal;

import java.util.List;

import dev.shelf.catalog.ErasedRows;
import dev.shelf.catalog.ShopId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Deletes a shop's charges, their transitions, usage periods, subscriptions, access token, orders, API rate-limit
 * bucket and idempotency keys for {@code shop/redact}, one batch of one table per call. Rows are picked by their physical position
 * ({@code ctid}) through each table's index that leads with {@code shop_id}, so one statement serves tables without
 * an id column, and each batch is its own short transaction.
 */
@Component
class ShopErasure {

	/** The audit trail before what it audits; the token last, so a half-erased shop cannot be charged. */
	private static final List<String> TABLES = List.of("billing.charge_transitions", "billing.usage_charges",
			"billing.usage_periods", "billing.subscriptions", "billing.access_tokens", "billing.orders",
			"billing.api_buckets", "billing.idempotency_keys");

	private final JdbcClient jdbc;

	ShopErasure(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	ErasedRows eraseBatch(ShopId shop, int batchSize) {
		for (String table : TABLES) {
			int deleted = jdbc.sql("DELETE FROM " + table + " WHERE ctid = ANY (ARRAY(SELECT ctid FROM " + table
					+ " WHERE shop_id = :shop LIMIT :batch))")
					.param("shop", shop.value()).param("batch", batchSize).update();
			if (deleted > 0) {
				return ErasedRows.of(table, deleted);
			}
		}
		return ErasedRows.NONE;
	}
}
