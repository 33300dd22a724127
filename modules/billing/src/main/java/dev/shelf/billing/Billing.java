package dev.shelf.billing;

import dev.shelf.catalog.ShopId;

/** What billing needs to know about the shops it bills. */
public interface Billing {

	/**
	 * Records an order the shop received, once per (shop, Shopify order id) however often it is reported. Usage
	 * charges for orders are computed from these records.
	 *
	 * @return {@code true} the first time the order is recorded
	 */
	boolean recordOrder(ShopId shop, PlacedOrder order);
}
