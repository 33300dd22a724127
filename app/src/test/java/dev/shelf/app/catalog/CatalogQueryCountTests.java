package dev.shelf.app.catalog;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import dev.shelf.app.catalog.StatementLog.SqlStatement;
import dev.shelf.catalog.Catalog;
import dev.shelf.catalog.ProductChange;
import dev.shelf.catalog.ProductInput;
import dev.shelf.catalog.ProductInput.BundleComponentInput;
import dev.shelf.catalog.ProductInput.VariantInput;
import dev.shelf.catalog.ShopId;
import dev.shelf.catalog.ShopifyProductData;
import dev.shelf.catalog.Shops;
import dev.shelf.support.GraphQlHttp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import static dev.shelf.support.SessionTokens.forShop;
import static dev.shelf.support.SessionTokens.uniqueShop;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * DESIGN.md §3, "No N+1": a page of products with their variants, price range, Shopify mirror and bundle
 * components costs a fixed number of SQL statements, whatever the page size. Counted over real HTTP, at the JDBC
 * driver, so a resolver that reads per product (1 + N statements) fails here however it is written.
 */
@StatementLogTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CatalogQueryCountTests {

	/**
	 * Sorted by title: a Shopify product takes its mirror's id, so in id order every Shopify product comes before
	 * every custom one, and a page of 5 would hold no bundle — fewer loaders, fewer statements, for a reason that
	 * has nothing to do with N+1. The seeded titles put every kind of product into the first 5.
	 */
	private static final String PAGE = """
			query($first: Int!) {
			  products(first: $first, sortKey: TITLE) {
			    nodes {
			      id title kind
			      variants(first: 5) { nodes { id price { amount currencyCode } } }
			      priceRange { minVariantPrice { amount } }
			      shopifyProduct { shopifyId }
			      bundleComponents { quantity product { title } }
			    }
			    pageInfo { hasNextPage }
			  }
			}""";

	/**
	 * The shop's rate-limit bucket (one statement), the page itself (one row more than asked, for hasNextPage), variants
	 * (one loader for both variants and priceRange), Shopify mirrors, bundle components, and the components' products.
	 * The session's shop id is remembered after the shop's first sight ({@link Shops#registeredId}), here the seeding.
	 */
	private static final int STATEMENTS_PER_PAGE = 6;

	private static final int PRODUCTS = 60;

	@LocalServerPort
	int port;

	@Autowired
	StatementLog log;

	@Autowired
	JdbcClient jdbc;

	String domain;
	ShopId shop;
	/** By title: how many variants each product has, and the titles of its bundle components. */
	final Map<String, Integer> variantCounts = new HashMap<>();
	final Map<String, List<String>> bundleComponents = new HashMap<>();

	@BeforeAll
	void seedAShopWithShopifyCustomAndBundleProducts(@Autowired Shops shops, @Autowired Catalog catalog) {
		domain = uniqueShop("statement-count");
		shop = shops.registeredId(domain);
		Map<Integer, Long> ids = new HashMap<>();
		for (int i = 0; i < PRODUCTS; i++) {
			String title = title(i);
			int variants = 2 + i % 3;
			variantCounts.put(title, variants);
			if (i % 3 == 0) {
				ids.put(i, catalog.applyShopifyProduct(shop, shopifyProduct(i, variants)).productId());
			}
			else if (i % 27 == 2) {
				// Products 2, 29 and 56 are bundles of the two products before each: one Shopify, one custom.
				bundleComponents.put(title, List.of(title(i - 2), title(i - 1)));
				ids.put(i, created(catalog.createProduct(shop, customProduct(i, variants,
						List.of(new BundleComponentInput(ids.get(i - 2), 2), new BundleComponentInput(ids.get(i - 1), 1))))));
			}
			else {
				ids.put(i, created(catalog.createProduct(shop, customProduct(i, variants, null))));
			}
		}
	}

	@Test
	void aPageOfProductsCostsTheSameStatementsWhateverItsSize() {
		for (int first : List.of(5, 20, 50)) {
			assertThat(statementsForOnePage(first)).as("statements for a page of %d products", first)
					.hasSize(STATEMENTS_PER_PAGE);
		}
	}

	@Test
	void aCountedPageCarriesEveryProductWithItsVariantsMirrorAndBundle() {
		fillBucket();
		JsonNode products = page(50).path("products");

		assertThat(products.path("pageInfo").path("hasNextPage").asBoolean()).isTrue();
		assertThat(products.path("nodes")).hasSize(50).allSatisfy(product -> {
			String title = product.path("title").asString();
			assertThat(product.path("variants").path("nodes")).as(title).hasSize(variantCounts.get(title))
					.allSatisfy(variant -> assertThat(variant.path("price").path("currencyCode").asString()).isEqualTo("USD"));
			assertThat(product.path("priceRange").path("minVariantPrice").path("amount").asString()).as(title).isNotEmpty();
			assertThat(product.path("shopifyProduct").isNull()).as(title)
					.isEqualTo(!product.path("kind").asString().equals("SHOPIFY"));
			List<String> components = new ArrayList<>();
			product.path("bundleComponents").forEach(component -> components.add(component.path("product").path("title").asString()));
			assertThat(components).as(title).isEqualTo(bundleComponents.getOrDefault(title, List.of()));
		});
	}

	/** The statements executed on behalf of this test's shop while one page is requested and answered. */
	private List<SqlStatement> statementsForOnePage(int first) {
		fillBucket();
		var recorded = log.record(() -> page(first));
		assertThat(recorded.result().path("products").path("nodes")).hasSize(first);
		// The shop is bound to each of them: a lookup of the session's domain (none expected), every read by id. That
		// keeps out anything else the JVM's database does meanwhile, whichever thread ran a DataLoader batch.
		return recorded.statements().stream()
				.filter(statement -> statement.isBoundTo(shop.value()) || statement.isBoundTo(domain))
				.toList();
	}

	/**
	 * Each page starts with a full rate-limit bucket: a 50-product page requests 902 points of the 1,000, and this
	 * test counts statements, not throttling (QueryCostTests does that).
	 */
	private void fillBucket() {
		jdbc.sql("DELETE FROM billing.api_buckets WHERE shop_id = ?").param(shop.value()).update();
	}

	private JsonNode page(int first) {
		GraphQlHttp.Response response = new GraphQlHttp(port).query(forShop(domain).token(), PAGE, Map.of("first", first),
				Map.of());
		assertThat(response.body().has("errors")).as(response.body().toString()).isFalse();
		return response.data();
	}

	private static String title(int i) {
		return "Item %02d".formatted(i);
	}

	private static ShopifyProductData shopifyProduct(int i, int variants) {
		long shopifyId = 9_100_000_000L + i;
		return new ShopifyProductData(shopifyId, title(i), "<p>Mirrored</p>", "Vendor", "Type", "item-" + i, "active",
				List.of(), Instant.parse("2025-01-01T00:00:00Z"),
				IntStream.rangeClosed(1, variants)
						.mapToObj(n -> new ShopifyProductData.Variant(shopifyId * 10 + n, "Size " + n, null, price(i, n), null, 5, n))
						.toList(),
				null);
	}

	private static ProductInput customProduct(int i, int variants, List<BundleComponentInput> components) {
		return new ProductInput(title(i), null, null, null, null, null, null,
				IntStream.rangeClosed(1, variants).mapToObj(n -> new VariantInput("Size " + n, null, price(i, n), null, 5)).toList(),
				components);
	}

	private static BigDecimal price(int i, int n) {
		return new BigDecimal(10 + i).add(new BigDecimal(n).movePointLeft(2));
	}

	private static long created(ProductChange change) {
		assertThat(change.userErrors()).isEmpty();
		return change.product().id();
	}
}
