package dev.shelf.billing.internal;

import java.time.ZoneOffset;

import dev.shelf.billing.PlacedOrder;
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
}
