package dev.shelf.billing.internal;

import java.math.BigDecimal;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;

import dev.shelf.billing.LegacyOrdersImport;
import dev.shelf.catalog.Shop;
import dev.shelf.catalog.ShopId;
import dev.shelf.catalog.Shops;
import dev.shelf.migration.LegacyDatabase;
import dev.shelf.migration.LegacyTenant;
import dev.shelf.migration.TenantImportContext;
import dev.shelf.migration.TenantImportStep;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Billing's step of the legacy-tenant import, after the catalog's (which creates the shop): the shop's most recent
 * legacy orders ({@code shelf.billing.legacy-recent-orders}, default 50) into {@code billing.orders} — recorded, never
 * charged — and, in {@code billing.legacy_order_imports}, how many older ones are left and where they start. The rest
 * comes on demand, a page at a time ({@link #importOlder}). Every read of the legacy orders walks its index
 * {@code (shop_id, created_at DESC, id DESC)} from a keyset cursor: the hundredth page costs what the first costs.
 * <p>
 * Legacy quirks: an order without a Shopify order id, with a total that is not a number, or without a date cannot be
 * billed against and is reported, not imported; an order without a currency is in the shop's currency (the legacy app
 * had one currency per shop before it stored it per order).
 */
@Component
@Order(20)
class LegacyOrders implements TenantImportStep {

	static final String NAME = "billing.recent-orders";

	private final JdbcClient jdbc;
	private final Shops shops;
	private final ObjectProvider<LegacyDatabase> configuredLegacy;
	private final int recentOrders;

	LegacyOrders(JdbcClient jdbc, Shops shops, ObjectProvider<LegacyDatabase> configuredLegacy,
			@Value("${shelf.billing.legacy-recent-orders:50}") int recentOrders) {
		if (recentOrders < 1) {
			throw new IllegalArgumentException("shelf.billing.legacy-recent-orders is at least 1");
		}
		this.jdbc = jdbc;
		this.shops = shops;
		this.configuredLegacy = configuredLegacy;
		this.recentOrders = recentOrders;
	}

	@Override
	public String name() {
		return NAME;
	}

	/** An order row of the legacy app, as it is. */
	record LegacyOrder(long id, String shopifyOrderId, String totalPrice, String currency, Long customerId,
			LocalDateTime createdAt) {
	}

	/** Orders fit for {@code billing.orders}, in arrays for one {@code unnest} insert. */
	private record Batch(List<Long> orderIds, List<String> totals, List<String> currencies,
			List<String> placedAt, List<Long> customerIds) {

		Batch() {
			this(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
		}

		int size() {
			return orderIds.size();
		}
	}

	@Override
	public StepOutcome importTenant(LegacyTenant tenant, TenantImportContext context) {
		LegacyDatabase legacy = context.legacy();
		Optional<Shop> shop = shops.findByDomain(tenant.key());
		long[] totals = legacy.jdbc().sql("""
				SELECT count(*) FILTER (WHERE created_at IS NOT NULL), count(*) FILTER (WHERE created_at IS NULL)
				FROM orders WHERE shop_id = ?""")
				.param(tenant.legacyId()).query((row, n) -> new long[] { row.getLong(1), row.getLong(2) }).single();
		if (totals[1] > 0) {
			context.problem("orders", totals[1] + " orders without a date: not imported (no place in the order history)");
		}
		List<LegacyOrder> recent = page(legacy, tenant.legacyId(), null, null, recentOrders);
		Batch batch = fit(recent, shop.map(Shop::currencyCode).orElse(null), context::problem);
		long left = totals[0] - recent.size();
		context.count("orders", batch.size());
		context.count("older-orders-left", left);
		if (context.dryRun()) {
			return StepOutcome.done();
		}
		ShopId shopId = shop.orElseThrow(() -> new IllegalStateException(
				"no shop " + tenant.key() + " in Shelf: the catalog's step runs first")).id();
		insert(shopId, batch);
		LegacyOrder oldest = recent.isEmpty() ? null : recent.get(recent.size() - 1);
		jdbc.sql("""
				INSERT INTO billing.legacy_order_imports (shop_id, legacy_shop_id, imported_orders, older_orders_left,
				                                          oldest_placed_at, oldest_legacy_order_id)
				VALUES (:shop, :legacyShop, :imported, :left, :oldestAt, :oldestId)
				ON CONFLICT (shop_id) DO UPDATE SET legacy_shop_id = excluded.legacy_shop_id,
				    imported_orders = excluded.imported_orders, older_orders_left = excluded.older_orders_left,
				    oldest_placed_at = excluded.oldest_placed_at, oldest_legacy_order_id = excluded.oldest_legacy_order_id,
				    updated_at = now()""")
				.param("shop", shopId.value()).param("legacyShop", tenant.legacyId()).param("imported", batch.size())
				.param("left", left)
				.param("oldestAt", oldest == null ? null : utc(oldest.createdAt()), Types.TIMESTAMP_WITH_TIMEZONE)
				.param("oldestId", oldest == null ? null : oldest.id(), Types.BIGINT)
				.update();
		return StepOutcome.done();
	}

	/** The next page of the shop's older legacy orders, in the caller's transaction. */
	LegacyOrdersImport importOlder(ShopId shop, int maxOrders) {
		if (maxOrders < 1 || maxOrders > 1000) {
			throw new IllegalArgumentException("Import 1 to 1,000 older orders at a time, not " + maxOrders);
		}
		LegacyDatabase legacy = configuredLegacy.getIfAvailable();
		if (legacy == null) {
			throw new IllegalStateException("No legacy database is configured (SHELF_MIGRATION_LEGACY_URL)");
		}
		record Cursor(long legacyShopId, long imported, long left, OffsetDateTime oldestAt, Long oldestId) {
		}
		// The row lock makes two concurrent fetches of one shop take consecutive pages, not the same one twice.
		Cursor cursor = jdbc.sql("""
				SELECT legacy_shop_id, imported_orders, older_orders_left, oldest_placed_at, oldest_legacy_order_id
				FROM billing.legacy_order_imports WHERE shop_id = ? FOR UPDATE""")
				.param(shop.value())
				.query((row, n) -> new Cursor(row.getLong(1), row.getLong(2), row.getLong(3),
						row.getObject(4, OffsetDateTime.class), row.getObject(5, Long.class)))
				.optional()
				.orElseThrow(() -> new IllegalArgumentException("Shop " + shop + " was not imported from the legacy app"));
		String currency = shops.find(shop).map(Shop::currencyCode).orElseThrow();
		List<LegacyOrder> page = page(legacy, cursor.legacyShopId(),
				cursor.oldestAt() == null ? null : cursor.oldestAt().withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime(),
				cursor.oldestId(), maxOrders);
		List<String> problems = new ArrayList<>();
		Batch batch = fit(page, currency, (field, message) -> problems.add(field + ": " + message));
		insert(shop, batch);
		long left = Math.max(0, cursor.left() - page.size());
		if (!page.isEmpty()) {
			LegacyOrder oldest = page.get(page.size() - 1);
			jdbc.sql("""
					UPDATE billing.legacy_order_imports SET imported_orders = imported_orders + :imported,
					    older_orders_left = :left, oldest_placed_at = :oldestAt, oldest_legacy_order_id = :oldestId,
					    updated_at = now()
					WHERE shop_id = :shop""")
					.param("shop", shop.value()).param("imported", batch.size()).param("left", left)
					.param("oldestAt", utc(oldest.createdAt())).param("oldestId", oldest.id())
					.update();
		}
		return new LegacyOrdersImport(batch.size(), page.isEmpty() ? 0 : left, List.copyOf(problems));
	}

	/** Newest first, older than the cursor (if any): one range scan of the legacy index. */
	private static List<LegacyOrder> page(LegacyDatabase legacy, long legacyShopId, LocalDateTime beforeAt,
			Long beforeId, int limit) {
		return legacy.jdbc().sql("""
				SELECT id, shopify_order_id, total_price, currency, customer_id, created_at FROM orders
				WHERE shop_id = :shop AND created_at IS NOT NULL
				  AND (CAST(:beforeAt AS timestamp) IS NULL OR (created_at, id) < (CAST(:beforeAt AS timestamp), :beforeId))
				ORDER BY created_at DESC, id DESC LIMIT :limit""")
				.param("shop", legacyShopId).param("beforeAt", beforeAt, Types.TIMESTAMP)
				.param("beforeId", beforeId == null ? 0L : beforeId).param("limit", limit)
				.query((row, n) -> new LegacyOrder(row.getLong("id"), row.getString("shopify_order_id"),
						row.getString("total_price"), row.getString("currency"), row.getObject("customer_id", Long.class),
						row.getObject("created_at", LocalDateTime.class)))
				.list();
	}

	/** The orders billing can record; the others reported. */
	private static Batch fit(List<LegacyOrder> orders, String shopCurrency, BiConsumer<String, String> problem) {
		Batch batch = new Batch();
		for (LegacyOrder order : orders) {
			String id = order.shopifyOrderId() == null ? "" : order.shopifyOrderId().strip();
			if (!id.matches("\\d{1,19}")) {
				problem.accept("order", "legacy order " + order.id() + ": Shopify order id \"" + order.shopifyOrderId()
						+ "\" is not a number: not imported");
				continue;
			}
			BigDecimal total;
			try {
				total = new BigDecimal(order.totalPrice().strip());
			}
			catch (RuntimeException e) {
				problem.accept("order", "legacy order " + order.id() + ": total \"" + order.totalPrice()
						+ "\" is not an amount: not imported");
				continue;
			}
			String currency = order.currency() == null ? null : order.currency().strip().toUpperCase(Locale.ROOT);
			if (currency == null || !currency.matches("[A-Z]{3}")) {
				currency = shopCurrency; // a dry run may not know it yet, and writes nothing
			}
			batch.orderIds().add(Long.parseLong(id));
			batch.totals().add(total.toPlainString());
			batch.currencies().add(currency);
			batch.placedAt().add(utc(order.createdAt()).toString());
			batch.customerIds().add(order.customerId());
		}
		return batch;
	}

	private void insert(ShopId shop, Batch batch) {
		if (batch.size() == 0) {
			return;
		}
		jdbc.sql("""
				INSERT INTO billing.orders (shop_id, shopify_order_id, total_price, currency_code, placed_at, customer_id)
				SELECT :shop, o.id, o.total, o.currency, o.placed_at, o.customer
				FROM unnest(:ids::bigint[], :totals::numeric[], :currencies::text[], :placedAt::timestamptz[],
				            :customers::bigint[]) AS o (id, total, currency, placed_at, customer)
				ON CONFLICT (shop_id, shopify_order_id) DO NOTHING""")
				.param("shop", shop.value())
				.param("ids", batch.orderIds().toArray(Long[]::new))
				.param("totals", batch.totals().toArray(String[]::new))
				.param("currencies", batch.currencies().toArray(String[]::new))
				.param("placedAt", batch.placedAt().toArray(String[]::new))
				.param("customers", batch.customerIds().toArray(Long[]::new))
				.update();
	}

	/** The legacy app kept its timestamps in UTC, without saying so. */
	private static OffsetDateTime utc(LocalDateTime legacy) {
		return legacy.atOffset(ZoneOffset.UTC);
	}
}
