package dev.shelf.app.catalog;

import java.sql.Connection;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

import javax.sql.DataSource;

import dev.shelf.app.catalog.StatementLog.SqlStatement;
import dev.shelf.catalog.Catalog;
import dev.shelf.catalog.Product;
import dev.shelf.catalog.ProductFilter;
import dev.shelf.catalog.ProductKind;
import dev.shelf.catalog.ProductPageRequest;
import dev.shelf.catalog.ProductPosition;
import dev.shelf.catalog.ProductSortKey;
import dev.shelf.catalog.ProductStatus;
import dev.shelf.catalog.ShopId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN.md §2, "hot queries are covered by indexes, proven by EXPLAIN tests on ≥ 100k rows". No statement here is
 * copied from the code: each is recorded as the application ran it through the {@link Catalog} API, then explained
 * with the very same parameters twice: as the custom plan a statement's first executions get, and as the generic
 * plan, made without looking at the values, that PostgreSQL may switch to once the driver keeps the statement
 * prepared on the server (pgjdbc does from its fifth execution on a connection).
 */
@StatementLogTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogQueryPlanTests {

	private static final Logger log = LoggerFactory.getLogger(CatalogQueryPlanTests.class);

	private static final int SMALL_SHOPS = 59;
	private static final int SMALL_SHOP_PRODUCTS = 1_400;
	private static final int BIG_SHOP_PRODUCTS = 20_000;
	private static final Set<String> CATALOG_TABLES = Set.of("catalog.products", "catalog.product_variants",
			"catalog.shopify_products", "catalog.bundles");

	@Autowired
	StatementLog statementLog;

	@Autowired
	Catalog catalog;

	@Autowired
	DataSource dataSource;

	@Autowired
	JdbcClient jdbc;

	ShopId bigShop;
	ShopId smallShop;
	/** What each call of the catalog API executed, by a label saying which call it was. */
	final Map<String, List<SqlStatement>> listings = new LinkedHashMap<>();
	final Map<String, List<SqlStatement>> lookups = new LinkedHashMap<>();

	@BeforeAll
	void insertACatalogAtScaleAndRecordItsQueries(@Autowired PlatformTransactionManager transactions) {
		long started = System.nanoTime();
		new TransactionTemplate(transactions).executeWithoutResult(transaction -> insertCatalog());
		jdbc.sql("ANALYZE catalog.products, catalog.product_variants, catalog.shopify_products, catalog.bundles").update();
		log.info("Inserted and analyzed the catalog of {} shops in {} ms", SMALL_SHOPS + 1,
				(System.nanoTime() - started) / 1_000_000);

		for (ShopId shop : List.of(bigShop, smallShop)) {
			recordListings(shop);
			recordLookups(shop);
		}
	}

	@Test
	void everyWayOfListingProductsReadsThroughAnIndexOfProducts() {
		assertThat(violations(listings, false, readsThroughAnIndexOf("catalog.products"))).isEmpty();
	}

	@Test
	void everyWayOfListingProductsReadsThroughAnIndexOfProductsInGenericPlansToo() {
		assertThat(violations(listings, true, readsThroughAnIndexOf("catalog.products"))).isEmpty();
	}

	/** Without a filter, a page and its probe come straight off an index in list order: a Sort reads the whole shop. */
	@Test
	void anUnfilteredPageIsReadInListOrderWithoutSorting() {
		Map<String, List<SqlStatement>> unfiltered = new LinkedHashMap<>();
		listings.forEach((call, statements) -> {
			if (call.endsWith("no filter)")) {
				unfiltered.put(call, statements);
			}
		});
		Predicate<QueryPlan> readsInOrder = plan -> !plan.sorts();

		assertThat(unfiltered).hasSize(2 * ProductSortKey.values().length * 8);
		assertThat(violations(unfiltered, false, readsInOrder)).isEmpty();
		assertThat(violations(unfiltered, true, readsInOrder)).isEmpty();
	}

	@Test
	void lookupsAndPerPageLoadsReadThroughTheirTablesIndexes() {
		for (boolean generic : new boolean[] { false, true }) {
			assertThat(violations(only(lookups, "findProduct"), generic, readsThroughAnIndexOf("catalog.products"))).isEmpty();
			assertThat(violations(only(lookups, "findProducts"), generic, readsThroughAnIndexOf("catalog.products"))).isEmpty();
			assertThat(violations(only(lookups, "variantsOf"), generic, readsThroughAnIndexOf("catalog.product_variants"))).isEmpty();
			assertThat(violations(only(lookups, "shopifyProductsOf"), generic, readsThroughAnIndexOf("catalog.shopify_products"))).isEmpty();
			assertThat(violations(only(lookups, "bundleComponentsOf"), generic, readsThroughAnIndexOf("catalog.bundles"))).isEmpty();
		}
	}

	/** Guards the checks above against passing blind, e.g. if EXPLAIN's JSON names things differently one day. */
	@Test
	void theChecksSeeASequentialScanWhereThereIsOne() {
		QueryPlan unindexed = QueryPlan.parse(jdbc.sql("EXPLAIN (VERBOSE, FORMAT JSON) SELECT id FROM catalog.products WHERE vendor = 'none'")
				.query(String.class).single());

		assertThat(unindexed.sequentiallyScannedTables()).contains("catalog.products");
		assertThat(readsThroughAnIndexOf("catalog.products").test(unindexed)).isFalse();
	}

	/**
	 * 59 small shops whose products arrive interleaved, as they would over time, then a big shop installed last: its
	 * rows sit at the end of the table, the layout where a plan that bets on meeting the shop's rows early (a
	 * sequential scan, or the primary key read in id order) reads every other shop's rows first.
	 */
	private void insertCatalog() {
		// Foreign keys are checked by a trigger per row, most of the insert's time; every row below is derived from
		// the parent rows it references, so this transaction skips them (CHECK and unique constraints still apply).
		jdbc.sql("SET LOCAL session_replication_role = replica").update();
		String prefix = "query-plan-" + System.nanoTime() % 1_000_000_000L + "-";
		jdbc.sql("INSERT INTO catalog.shops (shopify_domain) SELECT :prefix || s || '.myshopify.com' FROM generate_series(0, :shops) s")
				.param("prefix", prefix).param("shops", SMALL_SHOPS).update();
		List<Long> shops = jdbc.sql("SELECT id FROM catalog.shops WHERE starts_with(shopify_domain, :prefix) ORDER BY id")
				.param("prefix", prefix).query(Long.class).list();
		Long[] shopIds = shops.toArray(Long[]::new);
		smallShop = new ShopId(shops.get(0));
		bigShop = new ShopId(shops.get(shops.size() - 1));

		// Titles draw on a few words (for title search), statuses are 70/20/10 active/draft/archived, updated_at is
		// shuffled against the id order.
		String products = """
				INSERT INTO catalog.products (shop_id, kind, title, handle, status, created_at, updated_at)
				SELECT s.id,
				       CASE WHEN g % 2 = 0 THEN 'SHOPIFY' ELSE 'CUSTOM' END,
				       (ARRAY['Blue', 'Red', 'Green', 'Black', 'White', 'Linen', 'Wool'])[1 + g % 7] || ' '
				           || (ARRAY['Shirt', 'Mug', 'Hat', 'Scarf', 'Poster', 'Lamp', 'Chair', 'Sock', 'Bag', 'Cap', 'Vase'])[1 + g / 7 % 11]
				           || ' ' || g,
				       'p-' || g,
				       CASE WHEN g % 10 = 0 THEN 'ARCHIVED' WHEN g % 10 < 3 THEN 'DRAFT' ELSE 'ACTIVE' END,
				       timestamptz '2025-01-01' + g * interval '1 minute',
				       timestamptz '2025-01-01' + (g * 7919 % 1000003) * interval '1 second'
				FROM generate_series(1, :products) g CROSS JOIN unnest(:shops::bigint[]) AS s(id)
				ORDER BY g, s.id""";
		jdbc.sql(products).param("products", SMALL_SHOP_PRODUCTS).param("shops", shops.subList(0, SMALL_SHOPS).toArray(Long[]::new))
				.update();
		jdbc.sql(products).param("products", BIG_SHOP_PRODUCTS).param("shops", new Long[] { bigShop.value() }).update();
		// A Shopify product has its mirror's id (the catalog's invariant). Explicit ids leave the mirrors' own sequence
		// where the rest of the suite expects it.
		jdbc.sql("""
				INSERT INTO catalog.shopify_products (id, shop_id, shopify_id, product_id, title, handle, status,
				                                      shopify_updated_at)
				SELECT p.id, p.shop_id, 8000000000000 + p.id, p.id, p.title, p.handle, lower(p.status), p.updated_at
				FROM catalog.products p WHERE p.shop_id = ANY(:shops) AND p.kind = 'SHOPIFY'""")
				.param("shops", shopIds).update();
		jdbc.sql("""
				INSERT INTO catalog.product_variants (shop_id, product_id, shopify_product_id, shopify_variant_id, title, sku,
				                                      price, currency_code, position)
				SELECT p.shop_id, p.id, CASE WHEN p.kind = 'SHOPIFY' THEN p.id END,
				       CASE WHEN p.kind = 'SHOPIFY' THEN p.id * 10 + n END, 'Size ' || n, 'SKU-' || p.id || '-' || n,
				       (p.id * 37 + n * 101) % 20000 / 100.0, 'USD', n
				FROM catalog.products p CROSS JOIN LATERAL generate_series(1, 2 + (p.id % 5 = 0)::int) n
				WHERE p.shop_id = ANY(:shops)""")
				.param("shops", shopIds).update();
		// Every 50th product is a bundle of the next two: one component in the current shape, one in the legacy
		// Shopify-id shape, so both branches of the bundle query have rows to find.
		jdbc.sql("""
				INSERT INTO catalog.bundles (shop_id, product_id, title, components)
				SELECT b.shop_id, b.id, b.title,
				       jsonb_build_array(jsonb_build_object('product_id', c.id, 'quantity', 2),
				                         jsonb_build_object('shopify_product_id', 8000000000000 + m.id, 'quantity', 1))
				FROM catalog.products b
				JOIN catalog.products m ON m.shop_id = b.shop_id AND m.handle = 'p-' || (substr(b.handle, 3)::int + 1)
				JOIN catalog.products c ON c.shop_id = b.shop_id AND c.handle = 'p-' || (substr(b.handle, 3)::int + 2)
				WHERE b.shop_id = ANY(:shops) AND b.kind = 'CUSTOM' AND substr(b.handle, 3)::int % 50 = 1""")
				.param("shops", shopIds).update();

		assertThat(count("catalog.products", shopIds)).isEqualTo(SMALL_SHOPS * SMALL_SHOP_PRODUCTS + BIG_SHOP_PRODUCTS)
				.isGreaterThanOrEqualTo(100_000);
		assertThat(count("catalog.product_variants", shopIds)).isGreaterThanOrEqualTo(200_000);
	}

	/** Every sort key, both orders, both directions, from an end and from a cursor, with and without filters. */
	private void recordListings(ShopId shop) {
		Map<String, ProductFilter> filters = new LinkedHashMap<>();
		filters.put("no filter", ProductFilter.NONE);
		filters.put("status:ARCHIVED", new ProductFilter(ProductStatus.ARCHIVED, null, List.of()));
		filters.put("kind:CUSTOM", new ProductFilter(null, ProductKind.CUSTOM, List.of()));
		filters.put("blue shirt", new ProductFilter(null, null, List.of("blue", "shirt")));
		filters.put("status:ACTIVE kind:SHOPIFY wool", new ProductFilter(ProductStatus.ACTIVE, ProductKind.SHOPIFY, List.of("wool")));
		Product middle = middleProduct(shop);
		for (ProductSortKey key : ProductSortKey.values()) {
			for (boolean reverse : new boolean[] { false, true }) {
				for (boolean forward : new boolean[] { true, false }) {
					for (boolean fromCursor : new boolean[] { false, true }) {
						ProductPosition cursor = fromCursor ? ProductPosition.of(key, middle) : null;
						filters.forEach((query, filter) -> {
							var page = new ProductPageRequest(key, reverse, forward, 50, forward ? cursor : null,
									forward ? null : cursor, filter);
							String call = "listProducts(shop %s, %s%s, %s %s, %s)".formatted(shop, key,
									reverse ? " reversed" : "", forward ? "first 50" : "last 50",
									fromCursor ? (forward ? "after" : "before") + " the middle" : "from the end", query);
							listings.put(call, record(() -> catalog.listProducts(shop, page)));
						});
					}
				}
			}
		}
	}

	private void recordLookups(ShopId shop) {
		List<Long> page = catalog.listProducts(shop, new ProductPageRequest(ProductSortKey.UPDATED_AT, false, true, 50,
				null, null, ProductFilter.NONE)).products().stream().map(Product::id).toList();
		List<Long> shopifyProducts = catalog.listProducts(shop, new ProductPageRequest(ProductSortKey.UPDATED_AT, false,
				true, 50, null, null, new ProductFilter(null, ProductKind.SHOPIFY, List.of()))).products().stream()
				.map(Product::id).toList();
		List<Long> bundles = jdbc.sql("SELECT product_id FROM catalog.bundles WHERE shop_id = :shop ORDER BY product_id LIMIT 50")
				.param("shop", shop.value()).query(Long.class).list();
		long middle = middleProduct(shop).id();
		lookups.put("findProduct(shop %s)".formatted(shop), record(() -> catalog.findProduct(shop, middle)));
		lookups.put("findProducts(shop %s, 50 ids)".formatted(shop), record(() -> catalog.findProducts(shop, page)));
		lookups.put("variantsOf(shop %s, 50 products)".formatted(shop), record(() -> catalog.variantsOf(shop, page)));
		lookups.put("shopifyProductsOf(shop %s, 50 products)".formatted(shop),
				record(() -> catalog.shopifyProductsOf(shop, shopifyProducts)));
		lookups.put("bundleComponentsOf(shop %s, 50 bundles)".formatted(shop),
				record(() -> catalog.bundleComponentsOf(shop, bundles)));
	}

	/** A product from the middle of the shop, as a cursor would name it. */
	private Product middleProduct(ShopId shop) {
		int products = shop.equals(bigShop) ? BIG_SHOP_PRODUCTS : SMALL_SHOP_PRODUCTS;
		long id = jdbc.sql("SELECT id FROM catalog.products WHERE shop_id = :shop AND handle = :handle")
				.param("shop", shop.value()).param("handle", "p-" + products / 2).query(Long.class).single();
		return catalog.findProduct(shop, id).orElseThrow();
	}

	/** The catalog call runs on this thread; other threads (the webhook workers' polling) are not its statements. */
	private List<SqlStatement> record(Supplier<?> call) {
		String thisThread = Thread.currentThread().getName();
		List<SqlStatement> recorded = statementLog.record(call).statements().stream()
				.filter(statement -> statement.thread().equals(thisThread)).toList();
		assertThat(recorded).isNotEmpty();
		return recorded;
	}

	private static Map<String, List<SqlStatement>> only(Map<String, List<SqlStatement>> calls, String method) {
		Map<String, List<SqlStatement>> selected = new LinkedHashMap<>();
		calls.forEach((call, statements) -> {
			if (call.startsWith(method + "(")) {
				selected.put(call, statements);
			}
		});
		assertThat(selected).isNotEmpty();
		return selected;
	}

	/** No sequential scan of a catalog table anywhere in the plan, and at least one index of {@code table} read. */
	private Predicate<QueryPlan> readsThroughAnIndexOf(String table) {
		List<String> indexes = jdbc.sql("SELECT indexname FROM pg_indexes WHERE schemaname || '.' || tablename = :table")
				.param("table", table).query(String.class).list();
		assertThat(indexes).isNotEmpty();
		return plan -> plan.sequentiallyScannedTables().stream().noneMatch(CATALOG_TABLES::contains)
				&& plan.indexes().stream().anyMatch(indexes::contains);
	}

	/** Each statement whose plan fails the check, with the call that ran it and the plan, so a failure explains itself. */
	private List<String> violations(Map<String, List<SqlStatement>> calls, boolean generic, Predicate<QueryPlan> check) {
		List<String> violations = new ArrayList<>();
		calls.forEach((call, statements) -> statements.forEach(statement -> {
			QueryPlan plan = generic ? genericPlan(statement) : customPlan(statement);
			if (!check.test(plan)) {
				violations.add("%s%n  ran %s%n  %s plan %s".formatted(call, statement, generic ? "generic" : "custom", plan));
			}
		}));
		return violations;
	}

	/** EXPLAIN of the statement with its parameters bound: PostgreSQL plans it for those values. */
	private QueryPlan customPlan(SqlStatement statement) {
		try (Connection connection = dataSource.getConnection();
				PreparedStatement explain = connection.prepareStatement("EXPLAIN (VERBOSE, FORMAT JSON) " + statement.sql())) {
			statement.bind(explain);
			try (ResultSet plan = explain.executeQuery()) {
				plan.next();
				return QueryPlan.parse(plan.getString(1));
			}
		}
		catch (SQLException e) {
			throw new IllegalStateException("Could not explain " + statement, e);
		}
	}

	/**
	 * The generic plan of the statement, prepared with the parameter types the driver declared for it. An EXPLAIN
	 * with bound parameters is always planned for their values, whatever {@code plan_cache_mode} says, so this goes
	 * through PREPARE and EXPLAIN EXECUTE with {@code force_generic_plan}, where the values (NULLs) are not looked at.
	 */
	private QueryPlan genericPlan(SqlStatement statement) {
		try (Connection connection = dataSource.getConnection(); Statement session = connection.createStatement()) {
			List<String> types = new ArrayList<>();
			try (PreparedStatement described = connection.prepareStatement(statement.sql())) {
				statement.bind(described);
				ParameterMetaData parameters = described.getParameterMetaData();
				for (int i = 1; i <= parameters.getParameterCount(); i++) {
					types.add(parameters.getParameterTypeName(i));
				}
			}
			boolean prepared = false;
			try {
				session.execute("SET plan_cache_mode = force_generic_plan");
				session.execute("PREPARE explained (" + String.join(", ", types) + ") AS " + statement.numberedSql());
				prepared = true;
				try (ResultSet plan = session.executeQuery("EXPLAIN (VERBOSE, FORMAT JSON) EXECUTE explained ("
						+ String.join(", ", Collections.nCopies(types.size(), "NULL")) + ")")) {
					plan.next();
					return QueryPlan.parse(plan.getString(1));
				}
			}
			finally {
				// Both outlive the transaction; the connection goes back to the application's pool.
				if (prepared) {
					session.execute("DEALLOCATE explained");
				}
				session.execute("RESET plan_cache_mode");
			}
		}
		catch (SQLException e) {
			throw new IllegalStateException("Could not explain " + statement, e);
		}
	}

	private long count(String table, Long[] shops) {
		return jdbc.sql("SELECT count(*) FROM " + table + " WHERE shop_id = ANY(:shops)").param("shops", shops)
				.query(Long.class).single();
	}
}
