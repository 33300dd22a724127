package dev.shelf.billing.internal;

import java.util.List;

import dev.shelf.catalog.ErasedRows;
import dev.shelf.catalog.ShopId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Deletes a shop's charges, their transitions, usage periods, subscriptions, access token, orders (and the record of
 * its legacy orders left to import), API rate-limit
 * bucket and idempotency keys for {@code shop/redact}, one batch of one table per call
 * ({@link ErasedRows#deleteFirstBatch}), each its own short transaction.
 */
@Component
class ShopErasure {

	/** The audit trail before what it audits; the charges before the subscription and token they are sent with. */
	private static final List<String> TABLES = List.of("billing.charge_transitions", "billing.usage_charges",
			"billing.usage_periods", "billing.subscriptions", "billing.access_tokens", "billing.orders", "billing.legacy_order_imports",
			"billing.api_buckets", "billing.idempotency_keys");

	private final JdbcClient jdbc;

	ShopErasure(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	ErasedRows eraseBatch(ShopId shop, int batchSize) {
		return ErasedRows.deleteFirstBatch(jdbc, TABLES, shop, batchSize);
	}
}
