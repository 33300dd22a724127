package dev.shelf.billing.internal;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;

import dev.shelf.billing.PlacedOrder;
import dev.shelf.catalog.ErasedRows;
import dev.shelf.catalog.ShopId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** The {@code billing.orders} table: the orders shops received, once each. */
@Service
class OrderRecords {

	private final JdbcClient jdbc;

	OrderRecords(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	boolean recordOrder(ShopId shop, PlacedOrder order) {
		return jdbc.sql("""
				INSERT INTO billing.orders (shop_id, shopify_order_id, total_price, currency_code, placed_at, customer_id)
				VALUES (:shop, :orderId, :total, :currency, :placedAt, :customerId)
				ON CONFLICT (shop_id, shopify_order_id) DO NOTHING""")
				.param("shop", shop.value())
				.param("orderId", order.shopifyOrderId())
				.param("total", order.totalPrice())
				.param("currency", order.currencyCode())
				.param("placedAt", order.placedAt().atOffset(ZoneOffset.UTC))
				.param("customerId", order.customerId(), java.sql.Types.BIGINT)
				.update() == 1;
	}

	List<PlacedOrder> ordersOfCustomer(ShopId shop, long customerId, Collection<Long> shopifyOrderIds) {
		return jdbc.sql("""
				SELECT shopify_order_id, total_price, currency_code, placed_at, customer_id FROM billing.orders
				WHERE shop_id = :shop AND (customer_id = :customer OR shopify_order_id = ANY (:orders))
				ORDER BY shopify_order_id""")
				.param("shop", shop.value()).param("customer", customerId).param("orders", orderIds(shopifyOrderIds))
				.query((row, n) -> new PlacedOrder(row.getLong("shopify_order_id"), row.getBigDecimal("total_price"),
						row.getString("currency_code"), row.getObject("placed_at", OffsetDateTime.class).toInstant(),
						row.getObject("customer_id", Long.class)))
				.list();
	}

	ErasedRows redactCustomer(ShopId shop, long customerId, Collection<Long> shopifyOrderIds) {
		return ErasedRows.of("billing.orders", jdbc.sql("""
				UPDATE billing.orders SET customer_id = NULL
				WHERE shop_id = :shop AND customer_id IS NOT NULL
				  AND (customer_id = :customer OR shopify_order_id = ANY (:orders))""")
				.param("shop", shop.value()).param("customer", customerId).param("orders", orderIds(shopifyOrderIds))
				.update());
	}


	private static Long[] orderIds(Collection<Long> shopifyOrderIds) {
		return shopifyOrderIds.toArray(Long[]::new);
	}
}
