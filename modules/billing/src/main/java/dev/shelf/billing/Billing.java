package dev.shelf.billing;

import java.util.Collection;
import java.util.List;

import dev.shelf.catalog.ErasedRows;
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

	/**
	 * What billing holds about one customer of the shop ({@code customers/data_request}): the orders recorded with
	 * this customer id or one of these order ids.
	 */
	List<PlacedOrder> ordersOfCustomer(ShopId shop, long customerId, Collection<Long> shopifyOrderIds);

	/**
	 * Anonymises one customer of the shop ({@code customers/redact}): orders keep what billing needs (amount, date)
	 * and lose the customer id.
	 */
	ErasedRows redactCustomer(ShopId shop, long customerId, Collection<Long> shopifyOrderIds);

	/**
	 * Deletes one batch of the shop's billing data ({@code shop/redact}): at most {@code batchSize} rows of one table
	 * in one short transaction. Call it until it returns {@link ErasedRows#NONE}.
	 */
	ErasedRows eraseBatch(ShopId shop, int batchSize);
}
