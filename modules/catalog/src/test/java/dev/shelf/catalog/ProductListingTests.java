package dev.shelf.catalog;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.shelf.catalog.ProductInputs.aProduct;
import static dev.shelf.catalog.ShopifyProducts.aShopifyProduct;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Keyset pagination of a shop's products: for every sort key and direction, paging either way visits exactly the
 * products of the list once, in the database's order (ties broken by id), and says exactly whether more lie on either
 * side; cursors survive inserts and deletes around them. The expected order (the oracle) is read with a plain
 * {@code ORDER BY} from PostgreSQL, so collation is PostgreSQL's, not Java's.
 */
@CatalogModuleTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProductListingTests {

	private static final int PAGE = 7;

	/** Duplicates on purpose, and titles whose order depends on the collation (case, accents, punctuation). */
	private static final List<String> TITLES = List.of("Mug", "mug", "Mug", "Blue Mug", "blue mug", "Émile's Mug",
			"Zebra Plate", "zebra plate", "apple", "Apple", "100% Cotton Tee", "1000 Cotton Tee", "a_b", "axb", "A-B",
			"a b", "Mug (large)", "Mug-large", "MUG LARGE", "Tea Cup");

	@Autowired
	Catalog catalog;

	@Autowired
	Shops shops;

	@Autowired
	JdbcClient jdbc;

	/** 120 products of both kinds and every status, listed by the read-only tests. */
	ShopId shop;

	@BeforeAll
	void aShopWithAHundredAndTwentyProducts() {
		shop = CatalogTables.aFreshShop(shops);
		ShopId neighbour = CatalogTables.aFreshShop(shops);
		ProductStatus[] statuses = ProductStatus.values();
		String[] shopifyStatuses = { "active", "draft", "archived" };
		for (int i = 0; i < 120; i++) {
			String title = TITLES.get(i % TITLES.size());
			if (i % 4 == 3) {
				catalog.applyShopifyProduct(shop, aShopifyProduct().titled(title)
						.withStatus(shopifyStatuses[i % shopifyStatuses.length]).build());
			}
			else {
				assertThat(catalog.createProduct(shop, aProduct(title).withStatus(statuses[i % statuses.length]).build())
						.userErrors()).isEmpty();
			}
			if (i % 6 == 0) {
				// Another tenant's rows between ours, in every index.
				catalog.createProduct(neighbour, aProduct(title).build());
			}
		}
		// Many products share an updated_at (as rows written by one transaction do); some differ by a microsecond.
		jdbc.sql("""
				UPDATE catalog.products SET updated_at = timestamptz '2024-03-01 00:00:00+00'
				    + (id % 4) * interval '1 hour' + (id % 3) * interval '1 microsecond'
				WHERE shop_id IN (:shop, :neighbour) AND id % 5 <> 0""")
				.param("shop", shop.value()).param("neighbour", neighbour.value())
				.update();
		assertThat(jdbc.sql("""
				SELECT count(*) FROM (SELECT updated_at FROM catalog.products WHERE shop_id = :shop
				                      GROUP BY updated_at HAVING count(*) > 1) ties""")
				.param("shop", shop.value()).query(Long.class).single()).as("groups of equal updated_at").isGreaterThan(5);
	}

	static Stream<Arguments> everySortKeyBothWays() {
		return Stream.of(ProductSortKey.values())
				.flatMap(key -> Stream.of(Arguments.of(key, false), Arguments.of(key, true)));
	}

	@ParameterizedTest(name = "{0}, reverse={1}")
	@MethodSource("everySortKeyBothWays")
	void pagingForwardVisitsEveryProductOnceInListOrder(ProductSortKey sortKey, boolean reverse) {
		List<ProductPage> pages = forwardWalk(shop, sortKey, reverse, ProductFilter.NONE, PAGE);

		assertThat(ids(pages)).doesNotHaveDuplicates().isEqualTo(oracle(shop, sortKey, reverse));
		assertPageInfoOfAForwardWalk(pages, PAGE);
		assertThat(pages).hasSize(120 / PAGE + 1);
	}

	@ParameterizedTest(name = "{0}, reverse={1}")
	@MethodSource("everySortKeyBothWays")
	void pagingBackwardFromTheEndVisitsEveryProductOnceInListOrder(ProductSortKey sortKey, boolean reverse) {
		List<ProductPage> pages = backwardWalk(shop, sortKey, reverse, ProductFilter.NONE, PAGE);

		assertThat(ids(pages)).doesNotHaveDuplicates().isEqualTo(oracle(shop, sortKey, reverse));
		assertPageInfoOfABackwardWalk(pages, PAGE);
	}

	@ParameterizedTest(name = "{0}, reverse={1}")
	@MethodSource("everySortKeyBothWays")
	void pageInfoIsExactAtBothEndsAndInTheMiddle(ProductSortKey sortKey, boolean reverse) {
		List<Product> all = oracleProducts(sortKey, reverse);
		int n = all.size();

		assertPage(forward(sortKey, reverse, n, null), all, false, false);
		assertPage(forward(sortKey, reverse, n - 1, null), all.subList(0, n - 1), false, true);
		assertPage(forward(sortKey, reverse, PAGE, at(sortKey, all.get(n - PAGE - 1))), all.subList(n - PAGE, n), true,
				false);
		assertPage(forward(sortKey, reverse, PAGE, at(sortKey, all.get(n - 2))), all.subList(n - 1, n), true, false);
		assertPage(forward(sortKey, reverse, PAGE, at(sortKey, all.get(n - 1))), List.of(), true, false);
		assertPage(forward(sortKey, reverse, PAGE, at(sortKey, all.get(50))), all.subList(51, 51 + PAGE), true, true);

		assertPage(backward(sortKey, reverse, n, null), all, false, false);
		assertPage(backward(sortKey, reverse, n - 1, null), all.subList(1, n), true, false);
		assertPage(backward(sortKey, reverse, PAGE, at(sortKey, all.get(PAGE))), all.subList(0, PAGE), false, true);
		assertPage(backward(sortKey, reverse, PAGE, at(sortKey, all.get(1))), all.subList(0, 1), false, true);
		assertPage(backward(sortKey, reverse, PAGE, at(sortKey, all.get(0))), List.of(), false, true);
		assertPage(backward(sortKey, reverse, PAGE, at(sortKey, all.get(50))), all.subList(50 - PAGE, 50), true, true);
	}

	static Stream<Arguments> filtersWithEverySortKey() {
		List<ProductFilter> filters = List.of(
				new ProductFilter(ProductStatus.ACTIVE, ProductKind.CUSTOM, List.of("mug")),
				new ProductFilter(null, ProductKind.SHOPIFY, List.of()),
				new ProductFilter(ProductStatus.ARCHIVED, null, List.of()),
				new ProductFilter(null, null, List.of("MUG", "large")),
				new ProductFilter(ProductStatus.DRAFT, null, List.of("a")));
		return everySortKeyBothWays().flatMap(sorting -> filters.stream()
				.map(filter -> Arguments.of(sorting.get()[0], sorting.get()[1], filter)));
	}

	@ParameterizedTest(name = "{0}, reverse={1}, {2}")
	@MethodSource("filtersWithEverySortKey")
	void filtersCombineWithPagingBothWays(ProductSortKey sortKey, boolean reverse, ProductFilter filter) {
		List<Long> expected = oracleProducts(sortKey, reverse).stream().filter(product -> matches(filter, product))
				.map(Product::id).toList();
		assertThat(expected).as("the filter selects some but not all").isNotEmpty().hasSizeLessThan(120);

		List<ProductPage> forward = forwardWalk(shop, sortKey, reverse, filter, 3);
		List<ProductPage> backward = backwardWalk(shop, sortKey, reverse, filter, 3);

		assertThat(ids(forward)).isEqualTo(expected);
		assertThat(ids(backward)).isEqualTo(expected);
		assertPageInfoOfAForwardWalk(forward, 3);
		assertPageInfoOfABackwardWalk(backward, 3);
	}

	@Test
	void titleWordsMatchCaseInsensitivelyAnywhereAndTreatWildcardsLiterally() {
		ShopId shop = CatalogTables.aFreshShop(shops);
		for (String title : List.of("100% Cotton Tee", "1000 Cotton Tee", "a_b", "axb", "A_B Mug", "50%_off",
				"back\\slash", "backslash", "Blue T-Shirt")) {
			catalog.createProduct(shop, aProduct(title).build());
		}

		assertThat(titlesMatching(shop, "0%")).containsExactly("100% Cotton Tee", "50%_off");
		assertThat(titlesMatching(shop, "a_b")).containsExactly("a_b", "A_B Mug");
		assertThat(titlesMatching(shop, "%")).containsExactly("100% Cotton Tee", "50%_off");
		assertThat(titlesMatching(shop, "_")).containsExactly("a_b", "A_B Mug", "50%_off");
		assertThat(titlesMatching(shop, "\\")).containsExactly("back\\slash");
		assertThat(titlesMatching(shop, "SHIRT")).containsExactly("Blue T-Shirt");
		assertThat(titlesMatching(shop, "cotton", "100")).containsExactly("100% Cotton Tee", "1000 Cotton Tee");
		assertThat(titlesMatching(shop, "cotton", "%")).containsExactly("100% Cotton Tee");
		assertThat(titlesMatching(shop, "cotton", "mug")).isEmpty();
	}

	/**
	 * A cursor is a position, not an offset: products inserted before it do not shift the next page, one inserted just
	 * after it appears on it, and the cursor's own product may be gone.
	 */
	@ParameterizedTest
	@EnumSource(ProductSortKey.class)
	void aCursorStillLeadsToTheRightPagesAfterInsertsAroundItAndTheDeletionOfItsProduct(ProductSortKey sortKey) {
		ShopId shop = CatalogTables.aFreshShop(shops);
		Instant start = Instant.parse("2024-04-01T00:00:00Z");
		List<Long> items = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			items.add(catalog.createProduct(shop, aProduct("Item %02d".formatted(i)).build()).product().id());
			setUpdatedAt(items.get(i), start.plusSeconds(i));
		}
		// In every sort key the items are in the order of their numbers.
		ProductPage first = catalog.listProducts(shop, forwardRequest(sortKey, false, PAGE, null, ProductFilter.NONE));
		assertThat(titles(first.products())).containsExactly("Item 00", "Item 01", "Item 02", "Item 03", "Item 04",
				"Item 05", "Item 06");
		ProductPosition cursor = ProductPosition.of(sortKey, first.products().get(PAGE - 1));

		// Item 02's and Item 08's ids are freed so that new products can take ids just before and after the cursor.
		catalog.deleteProduct(shop, items.get(2));
		catalog.deleteProduct(shop, items.get(8));
		long before = catalog.createProduct(shop, aProduct("Item 03b").build()).product().id();
		moveTo(before, items.get(2), start.plusMillis(3_500));
		long after = catalog.createProduct(shop, aProduct("Item 06b").build()).product().id();
		moveTo(after, items.get(8), start.plusMillis(6_500));
		catalog.deleteProduct(shop, items.get(6));

		ProductPage next = catalog.listProducts(shop, forwardRequest(sortKey, false, PAGE, cursor, ProductFilter.NONE));
		ProductPage previous = catalog.listProducts(shop,
				new ProductPageRequest(sortKey, false, false, PAGE, null, cursor, ProductFilter.NONE));

		assertThat(titles(next.products())).containsExactlyElementsOf(sortKey == ProductSortKey.ID
				? List.of("Item 07", "Item 06b", "Item 09", "Item 10", "Item 11", "Item 12", "Item 13")
				: List.of("Item 06b", "Item 07", "Item 09", "Item 10", "Item 11", "Item 12", "Item 13"));
		assertThat(next.hasPreviousPage()).isTrue();
		assertThat(next.hasNextPage()).isTrue();
		assertThat(titles(previous.products())).containsExactlyElementsOf(sortKey == ProductSortKey.ID
				? List.of("Item 00", "Item 01", "Item 03b", "Item 03", "Item 04", "Item 05")
				: List.of("Item 00", "Item 01", "Item 03", "Item 03b", "Item 04", "Item 05"));
		assertThat(previous.hasPreviousPage()).isFalse();
		assertThat(previous.hasNextPage()).isTrue();
	}

	/**
	 * While products keep arriving, a walk through the list sees every product that existed when it started exactly
	 * once: no duplicates, no gaps, however the new products fall between its pages.
	 */
	@ParameterizedTest
	@EnumSource(ProductSortKey.class)
	void aWalkWhileProductsAreInsertedSeesEveryEarlierProductExactlyOnce(ProductSortKey sortKey) throws Exception {
		ShopId shop = CatalogTables.aFreshShop(shops);
		var random = new Random(sortKey.ordinal());
		for (int i = 0; i < 60; i++) {
			catalog.createProduct(shop, aProduct(randomTitle(random)).build());
		}
		var inserted = new AtomicInteger();
		var stop = new AtomicBoolean();
		// Paced by the walk (two inserts per page turned), so inserts land between pages however fast either side
		// runs; a free-running inserter could finish before the walk even starts.
		var pageTurns = new Semaphore(2);
		ExecutorService inserterThread = Executors.newSingleThreadExecutor();
		CompletableFuture<Void> inserter = CompletableFuture.runAsync(() -> {
			var titles = new Random(42 + sortKey.ordinal());
			while (!stop.get() && inserted.get() < 150) {
				try {
					if (!pageTurns.tryAcquire(100, TimeUnit.MILLISECONDS)) {
						continue;
					}
				}
				catch (InterruptedException e) {
					return;
				}
				catalog.createProduct(shop, aProduct(randomTitle(titles)).build());
				inserted.incrementAndGet();
			}
		}, inserterThread);
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> inserted.get() >= 2);
			Set<Long> existing = new HashSet<>(oracle(shop, sortKey, false));

			List<Long> walked = new ArrayList<>();
			int insertedBeforePage = inserted.get();
			ProductPosition after = null;
			int insertedDuringWalk = 0;
			for (int page = 0; page < 1_000; page++) {
				ProductPage current = catalog.listProducts(shop,
						forwardRequest(sortKey, false, PAGE, after, ProductFilter.NONE));
				current.products().forEach(product -> walked.add(product.id()));
				if (!current.hasNextPage()) {
					break;
				}
				after = ProductPosition.of(sortKey, current.products().get(current.products().size() - 1));
				int seen = insertedBeforePage;
				pageTurns.release(2);
				await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(2))
						.until(() -> inserted.get() > seen || inserter.isDone());
				insertedDuringWalk += inserted.get() - seen;
				insertedBeforePage = inserted.get();
			}
			stop.set(true);
			inserter.get(20, TimeUnit.SECONDS);

			assertThat(insertedDuringWalk).as("products inserted during the walk").isGreaterThan(PAGE);
			assertThat(walked).doesNotHaveDuplicates().containsAll(existing);
			List<Long> finalOrder = oracle(shop, sortKey, false);
			assertThat(finalOrder.stream().filter(new HashSet<>(walked)::contains).toList())
					.as("the walk is in list order").isEqualTo(walked);
		}
		finally {
			stop.set(true);
			inserterThread.shutdown();
		}
	}

	@Test
	void aCursorMadeForAnotherSortKeyIsRefused() {
		Product any = oracleProducts(ProductSortKey.TITLE, false).get(0);

		assertThatThrownBy(() -> forwardRequest(ProductSortKey.UPDATED_AT, false, PAGE,
				ProductPosition.of(ProductSortKey.TITLE, any), ProductFilter.NONE))
				.isInstanceOf(IllegalArgumentException.class);
	}

	// Walking.

	private List<ProductPage> forwardWalk(ShopId shop, ProductSortKey sortKey, boolean reverse, ProductFilter filter,
			int size) {
		List<ProductPage> pages = new ArrayList<>();
		ProductPosition after = null;
		while (pages.size() < 1_000) {
			ProductPage page = catalog.listProducts(shop, forwardRequest(sortKey, reverse, size, after, filter));
			pages.add(page);
			if (!page.hasNextPage()) {
				return pages;
			}
			after = ProductPosition.of(sortKey, page.products().get(page.products().size() - 1));
		}
		throw new AssertionError("The walk does not end");
	}

	/** Pages from the end of the list to its start, returned in list order. */
	private List<ProductPage> backwardWalk(ShopId shop, ProductSortKey sortKey, boolean reverse, ProductFilter filter,
			int size) {
		List<ProductPage> pages = new ArrayList<>();
		ProductPosition before = null;
		while (pages.size() < 1_000) {
			ProductPage page = catalog.listProducts(shop,
					new ProductPageRequest(sortKey, reverse, false, size, null, before, filter));
			pages.add(0, page);
			if (!page.hasPreviousPage()) {
				return pages;
			}
			before = ProductPosition.of(sortKey, page.products().get(0));
		}
		throw new AssertionError("The walk does not end");
	}

	private static void assertPageInfoOfAForwardWalk(List<ProductPage> pages, int size) {
		for (int i = 0; i < pages.size(); i++) {
			ProductPage page = pages.get(i);
			boolean last = i == pages.size() - 1;
			assertThat(page.hasPreviousPage()).as("hasPreviousPage of forward page %d", i).isEqualTo(i > 0);
			assertThat(page.hasNextPage()).as("hasNextPage of forward page %d", i).isEqualTo(!last);
			if (!last) {
				assertThat(page.products()).as("forward page %d", i).hasSize(size);
			}
		}
	}

	private static void assertPageInfoOfABackwardWalk(List<ProductPage> pages, int size) {
		for (int i = 0; i < pages.size(); i++) {
			ProductPage page = pages.get(i);
			boolean first = i == 0;
			assertThat(page.hasPreviousPage()).as("hasPreviousPage of backward page %d", i).isEqualTo(!first);
			assertThat(page.hasNextPage()).as("hasNextPage of backward page %d", i).isEqualTo(i < pages.size() - 1);
			if (!first) {
				assertThat(page.products()).as("backward page %d", i).hasSize(size);
			}
		}
	}

	private static void assertPage(ProductPage page, List<Product> expected, boolean hasPrevious, boolean hasNext) {
		assertThat(page.products()).extracting(Product::id).containsExactlyElementsOf(
				expected.stream().map(Product::id).toList());
		assertThat(page.hasPreviousPage()).as("hasPreviousPage").isEqualTo(hasPrevious);
		assertThat(page.hasNextPage()).as("hasNextPage").isEqualTo(hasNext);
	}

	private ProductPage forward(ProductSortKey sortKey, boolean reverse, int size, ProductPosition after) {
		return catalog.listProducts(shop, forwardRequest(sortKey, reverse, size, after, ProductFilter.NONE));
	}

	private ProductPage backward(ProductSortKey sortKey, boolean reverse, int size, ProductPosition before) {
		return catalog.listProducts(shop,
				new ProductPageRequest(sortKey, reverse, false, size, null, before, ProductFilter.NONE));
	}

	private static ProductPageRequest forwardRequest(ProductSortKey sortKey, boolean reverse, int size,
			ProductPosition after, ProductFilter filter) {
		return new ProductPageRequest(sortKey, reverse, true, size, after, null, filter);
	}

	private static ProductPosition at(ProductSortKey sortKey, Product product) {
		return ProductPosition.of(sortKey, product);
	}

	// The oracle: PostgreSQL's own ORDER BY over every row of the shop.

	private List<Long> oracle(ShopId shop, ProductSortKey sortKey, boolean reverse) {
		String direction = reverse ? " DESC" : " ASC";
		String orderBy = switch (sortKey) {
			case ID -> "id" + direction;
			case TITLE -> "title" + direction + ", id" + direction;
			case UPDATED_AT -> "updated_at" + direction + ", id" + direction;
		};
		return jdbc.sql("SELECT id FROM catalog.products WHERE shop_id = :shop ORDER BY " + orderBy)
				.param("shop", shop.value()).query(Long.class).list();
	}

	private List<Product> oracleProducts(ProductSortKey sortKey, boolean reverse) {
		List<Long> order = oracle(shop, sortKey, reverse);
		var products = catalog.findProducts(shop, order);
		return order.stream().map(products::get).toList();
	}

	private static boolean matches(ProductFilter filter, Product product) {
		return (filter.status() == null || filter.status() == product.status())
				&& (filter.kind() == null || filter.kind() == product.kind())
				&& filter.titleWords().stream().allMatch(word -> product.title().toLowerCase().contains(word.toLowerCase()));
	}

	private List<String> titlesMatching(ShopId shop, String... words) {
		var filter = new ProductFilter(null, null, List.of(words));
		return forwardWalk(shop, ProductSortKey.ID, false, filter, 2).stream()
				.flatMap(page -> page.products().stream()).map(Product::title).toList();
	}

	private void setUpdatedAt(long productId, Instant updatedAt) {
		jdbc.sql("UPDATE catalog.products SET updated_at = :at WHERE id = :id")
				.param("at", updatedAt.atOffset(ZoneOffset.UTC)).param("id", productId).update();
	}

	/** Gives a product another (free) id and updated_at, to put it where the test needs it in every sort order. */
	private void moveTo(long productId, long newId, Instant updatedAt) {
		jdbc.sql("UPDATE catalog.products SET id = :newId, updated_at = :at WHERE id = :id")
				.param("newId", newId).param("at", updatedAt.atOffset(ZoneOffset.UTC)).param("id", productId).update();
	}

	private static List<Long> ids(List<ProductPage> pages) {
		return pages.stream().flatMap(page -> page.products().stream()).map(Product::id).toList();
	}

	private static List<String> titles(List<Product> products) {
		return products.stream().map(Product::title).toList();
	}

	private static String randomTitle(Random random) {
		var title = new StringBuilder();
		for (int i = 0; i < 6; i++) {
			title.append((char) ('a' + random.nextInt(26)));
		}
		return title + " product";
	}
}
