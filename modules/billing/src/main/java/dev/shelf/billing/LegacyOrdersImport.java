package dev.shelf.billing;

import java.util.List;

/**
 * The outcome of importing a page of an imported shop's older legacy orders ({@link Billing#importOlderLegacyOrders}).
 *
 * @param importedOrders orders of the page recorded in {@code billing.orders}
 * @param olderOrdersLeft orders still in the legacy app, older than every order imported so far
 * @param problems legacy orders of the page that could not be imported, and why
 */
public record LegacyOrdersImport(int importedOrders, long olderOrdersLeft, List<String> problems) {
}
