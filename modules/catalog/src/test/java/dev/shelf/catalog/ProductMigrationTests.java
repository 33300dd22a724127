package dev.shelf.catalog;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.shelf.catalog.ShopifyProductSync.Outcome;
import dev.shelf.migration.BackgroundMigrationProgress;
import dev.shelf.migration.BackgroundMigrationStatus;
import dev.shelf.migration.BackgroundMigrations;
import dev.shelf.testing.BackgroundMigrationJobs;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.shelf.catalog.ProductInputs.aProduct;
import static dev.shelf.catalog.ShopifyProducts.aShopifyProduct;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The move from the legacy mirror model to the generic one, as the background migrations the catalog implements run
 * it, on real PostgreSQL: 100,000 legacy mirrors backfilled while webhooks, new Shopify products, merchants and
 * readers keep going, and every row ends migrated exactly once with the mirror's id.
 */
@CatalogModuleTest
class ProductMigrationTests {

	private static final int SHOPS = 4;
	private static final int LEGACY_MIRRORS = 100_000;
	private static final long HEADROOM = 50_000;
	private static final String BACKFILL = "catalog.products-backfill";
	private static final String REWRITE = "catalog.bundle-components-rewrite";
	private static final AtomicLong shopifyIds = new AtomicLong(5_000_000_000_000L);

	@Autowired
	Catalog catalog;

	@Autowired
	Shops shops;

	@Autowired
	BackgroundMigrations migrations;

	@Autowired
	JdbcClient jdbc;

	@Test
	void aBackfillUnderConcurrentWritersMigratesEveryLegacyRowOnceWithItsMirrorsId() throws Exception {
		List<ShopId> tenants = new ArrayList<>();
		for (int i = 0; i < SHOPS; i++) {
			tenants.add(CatalogTables.aFreshShop(shops));
		}
		Long[] shopIds = tenants.stream().map(ShopId::value).toArray(Long[]::new);
		long firstShopifyId = shopifyIds.getAndAdd(LEGACY_MIRRORS + 10);
		OffsetDateTime testStart = jdbc.sql("SELECT now()").query(OffsetDateTime.class).single();
		seedLegacyModel(shopIds, firstShopifyId);
		long legacyBefore = jdbc.sql("SELECT count(*) FROM catalog.shopify_products WHERE product_id IS NULL")
				.query(Long.class).single();
		BackgroundMigrationJobs.restart(jdbc, BACKFILL, 1000);
		BackgroundMigrationJobs.restart(jdbc, REWRITE, 1000);

		AtomicBoolean done = new AtomicBoolean();
		ConcurrentLinkedQueue<String> readProblems = new ConcurrentLinkedQueue<>();
		ExecutorService writers = Executors.newFixedThreadPool(4);
		List<Future<Long>> work = List.of(
				writers.submit(() -> updateLegacyMirrorsThroughWebhooks(done, tenants, firstShopifyId)),
				writers.submit(() -> createShopifyProducts(done, tenants)),
				writers.submit(() -> createCustomProducts(done, tenants)),
				writers.submit(() -> readPages(done, tenants, readProblems)));
		try {
			await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).until(() -> {
				migrations.runUntilIdle(Duration.ofMinutes(1));
				return finished(BACKFILL) && finished(REWRITE);
			});
		}
		finally {
			done.set(true);
			writers.shutdown();
		}
		long webhookUpdates = work.get(0).get(60, TimeUnit.SECONDS);
		long newShopifyProducts = work.get(1).get(60, TimeUnit.SECONDS);
		long customProducts = work.get(2).get(60, TimeUnit.SECONDS);
		long pagesRead = work.get(3).get(60, TimeUnit.SECONDS);
		assertThat(readProblems).as("what readers saw while the backfill ran").isEmpty();
		assertThat(webhookUpdates).isPositive();
		assertThat(newShopifyProducts).isPositive();
		assertThat(customProducts).isPositive();
		assertThat(pagesRead).isPositive();

		// Every legacy mirror has exactly one product, with the mirror's id.
		assertThat(count("SELECT count(*) FROM catalog.shopify_products WHERE product_id IS NULL")).isZero();
		assertThat(count("""
				SELECT count(*) FROM catalog.shopify_products m
				WHERE m.shop_id = ANY(:shops) AND m.shopify_id BETWEEN :first AND :last AND m.product_id <> m.id""",
				shopIds, firstShopifyId)).isZero();
		assertThat(count("""
				SELECT count(*) FROM catalog.products p JOIN catalog.shopify_products m ON m.shop_id = p.shop_id AND m.id = p.id
				WHERE p.shop_id = ANY(:shops) AND m.shopify_id BETWEEN :first AND :last AND p.kind = 'SHOPIFY'""",
				shopIds, firstShopifyId)).isEqualTo(LEGACY_MIRRORS);
		assertThat(count("SELECT count(*) FROM catalog.products WHERE shop_id = ANY(:shops) AND kind = 'SHOPIFY'", shopIds,
				firstShopifyId)).isEqualTo(LEGACY_MIRRORS + newShopifyProducts);
		// Once: the products the backfill made plus those the webhooks made first are all the legacy mirrors there were.
		long madeByWebhooks = count("""
				SELECT count(*) FROM catalog.products p JOIN catalog.shopify_products m ON m.shop_id = p.shop_id AND m.id = p.id
				WHERE p.shop_id = ANY(:shops) AND m.shopify_id BETWEEN :first AND :last AND p.created_at >= :start""",
				shopIds, firstShopifyId, testStart);
		BackgroundMigrationProgress backfill = migrations.progress(BACKFILL).orElseThrow();
		assertThat(backfill.rowsDone() + madeByWebhooks).isEqualTo(legacyBefore);

		// What the backfill made is what the legacy rows said (checked over the mirrors no webhook touched).
		assertThat(count("""
				SELECT count(*) FROM catalog.shopify_products m
				JOIN catalog.products p ON p.shop_id = m.shop_id AND p.id = m.id
				LEFT JOIN catalog.personalizations z ON z.shop_id = m.shop_id AND z.shopify_product_id = m.id
				WHERE m.shop_id = ANY(:shops) AND m.shopify_id BETWEEN :first AND :last AND m.updated_at < :start
				  AND (p.title IS DISTINCT FROM coalesce(z.customizations ->> 'title', m.title)
				    OR p.description_html IS DISTINCT FROM coalesce(z.customizations ->> 'description', m.body_html)
				    OR (z.customizations ->> 'title' IS NOT NULL) <> ('TITLE' = ANY(p.merchant_edited_fields))
				    OR p.status IS DISTINCT FROM CASE WHEN m.deleted_at IS NULL THEN upper(m.status) ELSE 'ARCHIVED' END
				    OR p.handle IS DISTINCT FROM CASE WHEN m.handle LIKE 'taken-%' THEN m.handle || '-' || m.id ELSE m.handle END
				    OR p.tags IS DISTINCT FROM m.tags)""", shopIds, firstShopifyId, testStart)).isZero();
		// Variants follow their mirror's product.
		assertThat(count("SELECT count(*) FROM catalog.product_variants WHERE shop_id = ANY(:shops) AND product_id IS NULL",
				shopIds, firstShopifyId)).isZero();
		assertThat(count("""
				SELECT count(*) FROM catalog.product_variants v
				JOIN catalog.shopify_products m ON m.shop_id = v.shop_id AND m.id = v.shopify_product_id
				WHERE v.shop_id = ANY(:shops) AND m.shopify_id BETWEEN :first AND :last AND v.product_id <> m.id""",
				shopIds, firstShopifyId)).isZero();

		// No JSONB reference to a Shopify product id is left; each component now names the mirror's product.
		assertThat(count("SELECT count(*) FROM catalog.bundles WHERE jsonb_path_exists(components, '$[*].shopify_product_id')"))
				.isZero();
		assertThat(count("""
				SELECT count(*) FROM catalog.bundles b
				CROSS JOIN LATERAL jsonb_array_elements(b.components) c
				LEFT JOIN catalog.shopify_products m ON m.shop_id = b.shop_id AND m.shopify_id = (c ->> 'unresolved_shopify_product_id')::bigint
				WHERE b.shop_id = ANY(:shops) AND (c ->> 'product_id')::bigint = 0 AND m.id IS NULL""", shopIds, firstShopifyId))
				.as("components naming a Shopify product Shelf never mirrored").isEqualTo(SHOPS * 10L);
		assertThat(count("""
				SELECT count(*) FROM catalog.bundles b
				CROSS JOIN LATERAL jsonb_array_elements(b.components) c
				WHERE b.shop_id = ANY(:shops) AND (c ->> 'product_id')::bigint <> 0
				  AND NOT EXISTS (SELECT 1 FROM catalog.products p WHERE p.shop_id = b.shop_id AND p.id = (c ->> 'product_id')::bigint
				                  AND p.kind = 'SHOPIFY')""", shopIds, firstShopifyId)).isZero();
		assertThat(count("""
				SELECT sum((c ->> 'quantity')::bigint) FROM catalog.bundles b CROSS JOIN LATERAL jsonb_array_elements(b.components) c
				WHERE b.shop_id = ANY(:shops)""", shopIds, firstShopifyId)).as("quantities kept").isEqualTo(SHOPS * 100L * 6);

		// The sequence is beyond every legacy id plus the headroom: no id of the switch can collide.
		long maxLegacyId = count("""
				SELECT max(m.id) FROM catalog.shopify_products m
				WHERE m.shop_id = ANY(:shops) AND m.shopify_id BETWEEN :first AND :last""", shopIds, firstShopifyId);
		long sequence = count("SELECT pg_sequence_last_value(pg_get_serial_sequence('catalog.products', 'id')::regclass)");
		assertThat(sequence).isGreaterThanOrEqualTo(maxLegacyId + HEADROOM);
		long maxId = count("SELECT greatest((SELECT max(id) FROM catalog.products), (SELECT max(id) FROM catalog.shopify_products))");
		assertThat(catalog.createProduct(tenants.get(0), aProduct("After the switch").build()).product().id())
				.isGreaterThan(maxId);
		System.out.printf("Backfill test: %d legacy mirrors, %d rows by the backfill in %d batches (longest %d ms), "
				+ "%d products first made by webhooks, %d webhook updates, %d new Shopify products, %d custom products, "
				+ "%d pages read meanwhile%n", LEGACY_MIRRORS, backfill.rowsDone(), backfill.batchesDone(),
				backfill.longestBatch().toMillis(), madeByWebhooks, webhookUpdates, newShopifyProducts, customProducts,
				pagesRead);
	}

	/**
	 * Shelf's first model, as it stood before the generic one: mirrors without products (ids from the mirrors' own
	 * sequence), personalizations on one in ten (title) and one in twenty (description too), one in fifty deleted at
	 * Shopify, two variants each, handles of one in a hundred already taken by a custom product, and per shop a
	 * hundred bundles of three legacy components (one in ten naming a Shopify product Shelf never mirrored).
	 */
	private void seedLegacyModel(Long[] shopIds, long firstShopifyId) {
		// Legacy mirrors predate V2, which started the products' ids above theirs: here (one database for every test of
		// the JVM) they take ids above every product and mirror id so far, and both sequences then move past them as
		// V2 would have moved the products' one.
		long firstId = count("""
				SELECT greatest((SELECT coalesce(max(id), 0) FROM catalog.products),
				                (SELECT coalesce(max(id), 0) FROM catalog.shopify_products),
				                pg_sequence_last_value(pg_get_serial_sequence('catalog.products', 'id')::regclass)) + 1""");
		jdbc.sql("""
				INSERT INTO catalog.shopify_products (id, shop_id, shopify_id, title, body_html, vendor, product_type, handle,
				                                      status, tags, shopify_updated_at, deleted_at, created_at, updated_at)
				SELECT :firstId + n, (:shops::bigint[])[1 + n % cardinality(:shops::bigint[])], :first + n, 'Legacy product ' || n,
				       '<p>' || n || '</p>', 'Vendor ' || n % 7, 'Type ' || n % 5,
				       CASE WHEN n % 100 = 0 THEN 'taken-' || n ELSE 'legacy-' || n END,
				       (ARRAY['active', 'draft', 'archived'])[1 + n % 3], ARRAY['tag-' || n % 11],
				       '2024-01-01T00:00:00Z', CASE WHEN n % 50 = 1 THEN '2024-02-01T00:00:00Z'::timestamptz END,
				       '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z'
				FROM generate_series(0, :count - 1) n""")
				.param("firstId", firstId).param("shops", shopIds).param("first", firstShopifyId)
				.param("count", LEGACY_MIRRORS).update();
		jdbc.sql("""
				SELECT setval(pg_get_serial_sequence('catalog.shopify_products', 'id'), :last),
				       setval(pg_get_serial_sequence('catalog.products', 'id'), :last + :headroom)""")
				.param("last", firstId + LEGACY_MIRRORS).param("headroom", HEADROOM).query().listOfRows();
		String legacyOfTheseShops = "FROM catalog.shopify_products m WHERE m.shop_id = ANY(:shops) "
				+ "AND m.shopify_id BETWEEN :first AND :first + :count";
		String twoEach = "FROM catalog.shopify_products m CROSS JOIN generate_series(1, 2) v WHERE m.shop_id = ANY(:shops) "
				+ "AND m.shopify_id BETWEEN :first AND :first + :count";
		jdbc.sql("""
				INSERT INTO catalog.personalizations (shop_id, shopify_product_id, customizations)
				SELECT m.shop_id, m.id, CASE WHEN (m.shopify_id - :first) % 20 = 0
				           THEN jsonb_build_object('title', 'Merchant title ' || m.id, 'description', '<p>Merchant</p>')
				           ELSE jsonb_build_object('title', 'Merchant title ' || m.id) END
				""" + legacyOfTheseShops + " AND (m.shopify_id - :first) % 10 = 0")
				.param("shops", shopIds).param("first", firstShopifyId).param("count", LEGACY_MIRRORS).update();
		jdbc.sql("""
				INSERT INTO catalog.product_variants (shop_id, shopify_product_id, shopify_variant_id, title, price,
				                                      currency_code, position)
				SELECT m.shop_id, m.id, m.shopify_id * 10 + v, 'Size ' || v, 10 + v, 'USD', v
				""" + twoEach)
				.param("shops", shopIds).param("first", firstShopifyId).param("count", LEGACY_MIRRORS).update();
		jdbc.sql("""
				INSERT INTO catalog.products (shop_id, kind, title, handle, status)
				SELECT m.shop_id, 'CUSTOM', 'Took the handle', m.handle, 'ACTIVE'
				""" + legacyOfTheseShops + " AND m.handle LIKE 'taken-%'")
				.param("shops", shopIds).param("first", firstShopifyId).param("count", LEGACY_MIRRORS).update();
		jdbc.sql("""
				INSERT INTO catalog.bundles (shop_id, title, components)
				SELECT s.id, 'Legacy bundle ' || b, jsonb_build_array(
				           jsonb_build_object('shopify_product_id', :first + b * 40 + s.position - 1, 'quantity', 1),
				           jsonb_build_object('shopify_product_id', (:first + b * 40 + s.position + 3)::text, 'quantity', 2),
				           CASE WHEN b % 10 = 0 THEN jsonb_build_object('shopify_product_id', 42, 'quantity', 3)
				                ELSE jsonb_build_object('shopify_product_id', :first + b * 40 + s.position + 7, 'quantity', 3) END)
				FROM unnest(:shops::bigint[]) WITH ORDINALITY AS s(id, position) CROSS JOIN generate_series(0, 99) b""")
				.param("shops", shopIds).param("first", firstShopifyId).update();
		// As autovacuum would have long since: the batches' plans depend on the tables' statistics.
		for (String table : List.of("shopify_products", "personalizations", "product_variants", "products", "bundles")) {
			jdbc.sql("ANALYZE catalog." + table).update();
		}
	}

	/** Shopify updates legacy mirrors meanwhile: each one's product is then made by the webhook, with the mirror's id. */
	private long updateLegacyMirrorsThroughWebhooks(AtomicBoolean done, List<ShopId> tenants, long firstShopifyId) {
		long updates = 0;
		while (!done.get()) {
			int n = ThreadLocalRandom.current().nextInt(LEGACY_MIRRORS);
			ShopId shop = tenants.get(n % SHOPS);
			long shopifyId = firstShopifyId + n;
			ShopifyProductSync sync = catalog.applyShopifyProduct(shop, aShopifyProduct().withShopifyId(shopifyId)
					.withHandle("legacy-" + n).updatedAt(Instant.parse("2024-06-01T00:00:00Z").plusSeconds(updates))
					.withVariants(new ShopifyProductData.Variant(shopifyId * 10 + 1, "Size 1", "S1", new BigDecimal("11"),
							null, 1, 1), new ShopifyProductData.Variant(shopifyId * 10 + 2, "Size 2", "S2",
									new BigDecimal("12"), null, 1, 2))
					.build());
			assertThat(sync.outcome()).isIn(Outcome.UPDATED, Outcome.STALE, Outcome.DUPLICATE);
			updates++;
		}
		return updates;
	}

	private long createShopifyProducts(AtomicBoolean done, List<ShopId> tenants) {
		long created = 0;
		while (!done.get()) {
			ShopifyProductSync sync = catalog.applyShopifyProduct(tenants.get((int) (created % SHOPS)),
					aShopifyProduct().build());
			assertThat(sync.outcome()).isEqualTo(Outcome.CREATED);
			created++;
		}
		return created;
	}

	private long createCustomProducts(AtomicBoolean done, List<ShopId> tenants) {
		long created = 0;
		while (!done.get()) {
			ProductChange change = catalog.createProduct(tenants.get((int) (created % SHOPS)),
					aProduct("Merchant product " + created).build());
			assertThat(change.userErrors()).isEmpty();
			created++;
		}
		return created;
	}

	/** What the API serves at every moment is whole: a Shopify product with its mirror and its variants. */
	private long readPages(AtomicBoolean done, List<ShopId> tenants, ConcurrentLinkedQueue<String> problems) {
		long pages = 0;
		while (!done.get()) {
			ShopId shop = tenants.get((int) (pages % SHOPS));
			ProductPage page = catalog.listProducts(shop, new ProductPageRequest(ProductSortKey.ID, false, true, 50,
					null, null, ProductFilter.NONE));
			List<Long> ids = page.products().stream().filter(p -> p.kind() == ProductKind.SHOPIFY).map(Product::id).toList();
			Map<Long, ShopifyProduct> mirrors = catalog.shopifyProductsOf(shop, ids);
			Map<Long, List<ProductVariant>> variants = catalog.variantsOf(shop, ids);
			for (long id : ids) {
				if (!mirrors.containsKey(id)) {
					problems.add("product " + id + " served without its mirror");
				}
				if (variants.getOrDefault(id, List.of()).isEmpty()) {
					problems.add("product " + id + " served without variants");
				}
			}
			pages++;
		}
		return pages;
	}

	private boolean finished(String job) {
		return migrations.progress(job).orElseThrow().status() == BackgroundMigrationStatus.FINISHED;
	}

	private long count(String sql) {
		return jdbc.sql(sql).query(Long.class).single();
	}

	private long count(String sql, Long[] shopIds, long firstShopifyId) {
		return count(sql, shopIds, firstShopifyId, null);
	}

	private long count(String sql, Long[] shopIds, long firstShopifyId, OffsetDateTime start) {
		var statement = jdbc.sql(sql).param("shops", shopIds).param("first", firstShopifyId)
				.param("last", firstShopifyId + LEGACY_MIRRORS);
		if (start != null) {
			statement = statement.param("start", start);
		}
		return statement.query(Long.class).single();
	}
}
