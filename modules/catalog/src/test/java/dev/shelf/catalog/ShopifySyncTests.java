package dev.shelf.catalog;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import dev.shelf.catalog.ShopifyProductSync.Outcome;
import dev.shelf.testing.Race;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.shelf.catalog.ProductInputs.aChange;
import static dev.shelf.catalog.ProductInputs.aProduct;
import static dev.shelf.catalog.ShopifyProducts.aShopifyProduct;
import static dev.shelf.catalog.ShopifyProducts.aShopifyVariantId;
import static dev.shelf.catalog.ShopifyProducts.aVariant;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shopify's side of the catalog: what a webhook delivery does to mirror and product, whatever the order, the
 * duplicates and the concurrency Shopify delivers them with.
 */
@CatalogModuleTest
class ShopifySyncTests {

	@Autowired
	Catalog catalog;

	@Autowired
	Shops shops;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	@Autowired
	DataSource dataSource;

	ShopId shop;

	CatalogTables tables;

	@BeforeEach
	void aFreshShop() {
		shop = CatalogTables.aFreshShop(shops);
		tables = new CatalogTables(jdbc);
	}

	@Test
	void firstSightCreatesTheMirrorAndAShopifyProductWithShopifysValues() {
		var shopifyProduct = aShopifyProduct().titled("Linen Shirt").byVendor("Acme").ofType("Shirts")
				.taggedWith("summer", "linen").withStatus("draft");

		ShopifyProductSync sync = catalog.applyShopifyProduct(shop, shopifyProduct.build());

		assertThat(sync.outcome()).isEqualTo(Outcome.CREATED);
		Product product = catalog.findProduct(shop, sync.productId()).orElseThrow();
		assertThat(product.kind()).isEqualTo(ProductKind.SHOPIFY);
		assertThat(product.title()).isEqualTo("Linen Shirt");
		assertThat(product.vendor()).isEqualTo("Acme");
		assertThat(product.productType()).isEqualTo("Shirts");
		assertThat(product.tags()).containsExactly("summer", "linen");
		assertThat(product.status()).isEqualTo(ProductStatus.DRAFT);
		assertThat(product.merchantEditedFields()).isEmpty();
		ShopifyProduct mirror = mirrorOf(product.id());
		assertThat(mirror.shopifyId()).isEqualTo(shopifyProduct.shopifyId());
		assertThat(mirror.productId()).isEqualTo(product.id());
		assertThat(mirror.shopifyUpdatedAt()).isEqualTo(shopifyProduct.updatedAt());
		assertThat(mirror.deletedAt()).isNull();
		assertThat(catalog.findShopifyProduct(shop, mirror.id())).contains(mirror);
		assertThat(catalog.variantsOf(shop, List.of(product.id())).get(product.id())).singleElement()
				.satisfies(variant -> assertThat(variant.price().currencyCode()).isEqualTo("USD"));
	}

	/**
	 * A new Shopify product's product takes a fresh id from the products' own sequence; only a legacy mirror's product
	 * (born from the old model) takes the mirror's id. Reusing every new mirror's id would, once the mirror sequence
	 * reaches the ids the products' sequence has handed out, collide with an existing product and fail every delivery
	 * of that Shopify product.
	 */
	@Test
	void aNewShopifyProductNeverTakesTheIdOfAnExistingProduct() {
		long custom = catalog.createProduct(shop, aProduct("Handmade Mug").build()).product().id();
		long nextMirrorId = jdbc.sql("""
				SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END
				FROM catalog.shopify_products_id_seq""").query(Long.class).single();
		jdbc.sql("UPDATE catalog.products SET id = :next WHERE id = :custom")
				.param("next", nextMirrorId).param("custom", custom).update();

		ShopifyProductSync sync = catalog.applyShopifyProduct(shop, aShopifyProduct().titled("Linen Shirt").build());

		assertThat(sync.outcome()).isEqualTo(Outcome.CREATED);
		assertThat(mirrorOf(sync.productId()).id()).isEqualTo(nextMirrorId);
		assertThat(sync.productId()).isNotEqualTo(nextMirrorId);
		assertThat(catalog.findProduct(shop, nextMirrorId).orElseThrow().title()).isEqualTo("Handmade Mug");
		assertThat(catalog.findProduct(shop, sync.productId()).orElseThrow().title()).isEqualTo("Linen Shirt");
	}

	@Test
	void aDuplicateDeliveryChangesNothing() {
		var shopifyProduct = aShopifyProduct();
		long productId = catalog.applyShopifyProduct(shop, shopifyProduct.build()).productId();
		Product before = catalog.findProduct(shop, productId).orElseThrow();
		ShopifyProduct mirrorBefore = mirrorOf(productId);
		List<ProductVariant> variantsBefore = catalog.variantsOf(shop, List.of(productId)).get(productId);

		ShopifyProductSync sync = catalog.applyShopifyProduct(shop, shopifyProduct.build());

		assertThat(sync).isEqualTo(new ShopifyProductSync(Outcome.DUPLICATE, productId));
		assertThat(catalog.findProduct(shop, productId)).contains(before);
		assertThat(mirrorOf(productId)).isEqualTo(mirrorBefore);
		assertThat(catalog.variantsOf(shop, List.of(productId)).get(productId)).isEqualTo(variantsBefore);
	}

	@Test
	void aRedeliveryWithSubMicrosecondPrecisionIsStillADuplicate() {
		Instant precise = Instant.parse("2024-05-01T10:00:00.123456789Z"); // PostgreSQL keeps microseconds
		var shopifyProduct = aShopifyProduct().updatedAt(precise);
		long productId = catalog.applyShopifyProduct(shop, shopifyProduct.build()).productId();

		assertThat(catalog.applyShopifyProduct(shop, shopifyProduct.build()))
				.isEqualTo(new ShopifyProductSync(Outcome.DUPLICATE, productId));
	}

	@Test
	void shopifysNewHandleFollowsUnlessAnotherProductHasIt() {
		var shopifyProduct = aShopifyProduct().withHandle("linen-shirt-old");
		long productId = catalog.applyShopifyProduct(shop, shopifyProduct.build()).productId();
		catalog.createProduct(shop, aProduct("Taken").withHandle("taken-handle").build());

		catalog.applyShopifyProduct(shop, shopifyProduct.withHandle("linen-shirt-new")
				.updatedAt(Instant.parse("2024-06-01T00:00:00Z")).build());
		String followed = catalog.findProduct(shop, productId).orElseThrow().handle();
		catalog.applyShopifyProduct(shop, shopifyProduct.withHandle("taken-handle")
				.updatedAt(Instant.parse("2024-07-01T00:00:00Z")).build());

		assertThat(followed).isEqualTo("linen-shirt-new");
		assertThat(catalog.findProduct(shop, productId).orElseThrow().handle()).isEqualTo("linen-shirt-new");
		assertThat(mirrorOf(productId).handle()).as("the mirror keeps Shopify's value").isEqualTo("taken-handle");
	}

	@Test
	void valuesShopifyAcceptsButAProductCannotHoldAreMadeValidInsteadOfFailingForever() {
		var shopifyProduct = aShopifyProduct().titled("   ").withHandle("Summer Sale Shirt");

		ShopifyProductSync sync = catalog.applyShopifyProduct(shop, shopifyProduct.build());

		Product product = catalog.findProduct(shop, sync.productId()).orElseThrow();
		assertThat(sync.outcome()).isEqualTo(Outcome.CREATED);
		assertThat(product.title()).isEqualTo("Untitled product");
		assertThat(product.handle()).isEqualTo("summer-sale-shirt");
	}

	@Test
	void aNewerUpdateTakesShopifysNewValues() {
		var shopifyProduct = aShopifyProduct().titled("Linen Shirt").byVendor("Acme");
		long productId = catalog.applyShopifyProduct(shop, shopifyProduct.build()).productId();
		Product before = catalog.findProduct(shop, productId).orElseThrow();

		ShopifyProductSync sync = catalog.applyShopifyProduct(shop,
				shopifyProduct.updatedLater().titled("Linen Shirt v2").byVendor("Acme Group").taggedWith("sale").build());

		assertThat(sync).isEqualTo(new ShopifyProductSync(Outcome.UPDATED, productId));
		Product after = catalog.findProduct(shop, productId).orElseThrow();
		assertThat(after.title()).isEqualTo("Linen Shirt v2");
		assertThat(after.vendor()).isEqualTo("Acme Group");
		assertThat(after.tags()).containsExactly("sale");
		assertThat(after.version()).isEqualTo(before.version() + 1);
		assertThat(mirrorOf(productId).title()).isEqualTo("Linen Shirt v2");
		assertThat(mirrorOf(productId).shopifyUpdatedAt()).isEqualTo(shopifyProduct.updatedAt());
	}

	@Test
	void anOlderUpdateIsStaleAndChangesNothing() {
		var shopifyProduct = aShopifyProduct().titled("Newest title").updatedAt(Instant.parse("2024-05-01T10:00:00Z"));
		long productId = catalog.applyShopifyProduct(shop, shopifyProduct.build()).productId();
		Product before = catalog.findProduct(shop, productId).orElseThrow();
		ShopifyProduct mirrorBefore = mirrorOf(productId);

		ShopifyProductSync sync = catalog.applyShopifyProduct(shop, shopifyProduct.titled("Older title")
				.updatedAt(Instant.parse("2024-05-01T09:59:59Z")).withVariants().build());

		assertThat(sync).isEqualTo(new ShopifyProductSync(Outcome.STALE, productId));
		assertThat(catalog.findProduct(shop, productId)).contains(before);
		assertThat(mirrorOf(productId)).isEqualTo(mirrorBefore);
		assertThat(tables.variantsOfProduct(shop, productId)).isOne();
	}

	@Test
	void concurrentDuplicateDeliveriesCreateOneMirrorAndOneProduct() throws Exception {
		ShopifyProductData delivery = aShopifyProduct().build();

		List<ShopifyProductSync> syncs = Race.run(50, () -> catalog.applyShopifyProduct(shop, delivery));

		assertThat(syncs).extracting(ShopifyProductSync::outcome)
				.containsOnlyOnce(Outcome.CREATED)
				.containsOnly(Outcome.CREATED, Outcome.DUPLICATE);
		assertThat(syncs).extracting(ShopifyProductSync::productId).containsOnly(syncs.get(0).productId());
		assertThat(tables.mirrors(shop)).isOne();
		assertThat(tables.products(shop)).isOne();
		assertThat(tables.variants(shop)).isOne();
	}

	@Test
	void concurrentUpdatesInAnyOrderEndWithTheNewestValues() throws Exception {
		var shopifyProduct = aShopifyProduct();
		Instant first = Instant.parse("2024-06-01T00:00:00Z");
		List<ShopifyProductData> deliveries = new ArrayList<>();
		for (int minute = 0; minute < 20; minute++) {
			deliveries.add(shopifyProduct.updatedAt(first.plus(Duration.ofMinutes(minute))).titled("Version " + minute)
					.byVendor("Vendor " + minute).build());
		}
		Collections.shuffle(deliveries);
		var next = new AtomicInteger();

		List<ShopifyProductSync> syncs = Race.run(deliveries.size(),
				() -> catalog.applyShopifyProduct(shop, deliveries.get(next.getAndIncrement())));

		assertThat(syncs).extracting(ShopifyProductSync::outcome).containsOnlyOnce(Outcome.CREATED)
				.doesNotContain(Outcome.DUPLICATE, Outcome.DELETED);
		long productId = syncs.get(0).productId();
		ShopifyProduct mirror = mirrorOf(productId);
		assertThat(mirror.shopifyUpdatedAt()).isEqualTo(first.plus(Duration.ofMinutes(19)));
		assertThat(mirror.title()).isEqualTo("Version 19");
		Product product = catalog.findProduct(shop, productId).orElseThrow();
		assertThat(product.title()).isEqualTo("Version 19");
		assertThat(product.vendor()).isEqualTo("Vendor 19");
		assertThat(tables.mirrors(shop)).isOne();
		assertThat(tables.products(shop)).isOne();
	}

	/** A newer update has written but not committed when an older one arrives: the older one waits, then is stale. */
	@Test
	void anOlderUpdateArrivingWhileANewerOneCommitsIsStale() throws Exception {
		var shopifyProduct = aShopifyProduct().updatedAt(Instant.parse("2024-06-01T00:00:00Z")).titled("Version 0");
		long productId = catalog.applyShopifyProduct(shop, shopifyProduct.build()).productId();
		ShopifyProductData newer = shopifyProduct.updatedAt(Instant.parse("2024-06-01T00:02:00Z")).titled("Version 2")
				.build();
		ShopifyProductData older = shopifyProduct.updatedAt(Instant.parse("2024-06-01T00:01:00Z")).titled("Version 1")
				.build();

		try (var newerUpdate = HeldTransaction.open(transactions, () -> catalog.applyShopifyProduct(shop, newer))) {
			CompletableFuture<ShopifyProductSync> olderUpdate = HeldTransaction.competingCall(jdbc,
					"catalog.shopify_products", () -> catalog.applyShopifyProduct(shop, older));
			newerUpdate.commit();

			assertThat(newerUpdate.result().outcome()).isEqualTo(Outcome.UPDATED);
			assertThat(olderUpdate.get(20, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.STALE);
		}
		assertThat(mirrorOf(productId).title()).isEqualTo("Version 2");
		assertThat(catalog.findProduct(shop, productId).orElseThrow().title()).isEqualTo("Version 2");
	}

	/**
	 * The interleaving behind lost updates, forced: a newer and an older update both arrive while the mirror row is
	 * share-locked (as by a reader that holds it), so both have read the stored version before either writes; the newer
	 * gets the row first. Comparing against what it read before the newer one wrote, the older would overwrite it.
	 */
	@Test
	void anOlderUpdateQueuedBehindANewerOneIsStaleOnceTheNewerCommits() throws Exception {
		var shopifyProduct = aShopifyProduct().updatedAt(Instant.parse("2024-06-01T00:00:00Z")).titled("Version 0");
		long productId = catalog.applyShopifyProduct(shop, shopifyProduct.build()).productId();
		ShopifyProductData newer = shopifyProduct.updatedAt(Instant.parse("2024-06-01T00:02:00Z")).titled("Version 2")
				.build();
		ShopifyProductData older = shopifyProduct.updatedAt(Instant.parse("2024-06-01T00:01:00Z")).titled("Version 1")
				.build();

		try (Connection reader = dataSource.getConnection()) {
			reader.setAutoCommit(false);
			try (PreparedStatement lock = reader.prepareStatement(
					"SELECT 1 FROM catalog.shopify_products WHERE shop_id = ? AND shopify_id = ? FOR SHARE")) {
				lock.setLong(1, shop.value());
				lock.setLong(2, shopifyProduct.shopifyId());
				lock.executeQuery().close();
			}
			CompletableFuture<ShopifyProductSync> newerUpdate = HeldTransaction.competingCall(jdbc,
					"catalog.shopify_products", 1, () -> catalog.applyShopifyProduct(shop, newer));
			CompletableFuture<ShopifyProductSync> olderUpdate = HeldTransaction.competingCall(jdbc,
					"catalog.shopify_products", 2, () -> catalog.applyShopifyProduct(shop, older));
			reader.commit();

			assertThat(newerUpdate.get(20, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.UPDATED);
			assertThat(olderUpdate.get(20, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.STALE);
		}
		assertThat(mirrorOf(productId).title()).isEqualTo("Version 2");
		assertThat(mirrorOf(productId).shopifyUpdatedAt()).isEqualTo(Instant.parse("2024-06-01T00:02:00Z"));
		assertThat(catalog.findProduct(shop, productId).orElseThrow().title()).isEqualTo("Version 2");
	}

	@Test
	void aMerchantsTitleEditSurvivesLaterShopifyUpdatesWhileOtherFieldsFollowShopify() {
		var shopifyProduct = aShopifyProduct().titled("Linen Shirt").byVendor("Acme").taggedWith("summer");
		long productId = catalog.applyShopifyProduct(shop, shopifyProduct.build()).productId();
		ProductChange edit = catalog.updateProduct(shop, productId, aChange().titled("Our Best Linen Shirt").build(), null);
		assertThat(edit.userErrors()).isEmpty();
		assertThat(edit.product().merchantEditedFields()).containsExactly(ProductField.TITLE);

		ShopifyProductSync sync = catalog.applyShopifyProduct(shop, shopifyProduct.updatedLater().titled("Linen Shirt 2025")
				.byVendor("Acme Group").ofType("Tops").describedAs("<p>New</p>").taggedWith("sale", "linen").build());

		assertThat(sync.outcome()).isEqualTo(Outcome.UPDATED);
		Product product = catalog.findProduct(shop, productId).orElseThrow();
		assertThat(product.title()).isEqualTo("Our Best Linen Shirt");
		assertThat(product.vendor()).isEqualTo("Acme Group");
		assertThat(product.productType()).isEqualTo("Tops");
		assertThat(product.descriptionHtml()).isEqualTo("<p>New</p>");
		assertThat(product.tags()).containsExactly("sale", "linen");
		assertThat(product.merchantEditedFields()).containsExactly(ProductField.TITLE);
		assertThat(mirrorOf(productId).title()).isEqualTo("Linen Shirt 2025");
	}

	@Test
	void aProductTheMerchantArchivedStaysArchivedWhenShopifySaysActive() {
		var shopifyProduct = aShopifyProduct().withStatus("active");
		long productId = catalog.applyShopifyProduct(shop, shopifyProduct.build()).productId();
		assertThat(catalog.archiveProduct(shop, productId).userErrors()).isEmpty();

		catalog.applyShopifyProduct(shop, shopifyProduct.updatedLater().withStatus("active").titled("Renamed").build());

		Product product = catalog.findProduct(shop, productId).orElseThrow();
		assertThat(product.status()).isEqualTo(ProductStatus.ARCHIVED);
		assertThat(product.title()).isEqualTo("Renamed");
	}

	@Test
	void variantsFollowShopifysListExactly() {
		long small = aShopifyVariantId();
		long medium = aShopifyVariantId();
		long large = aShopifyVariantId();
		var shopifyProduct = aShopifyProduct().withVariants(aVariant(small, "Small", "19.99"),
				aVariant(medium, "Medium", "21.00"), aVariant(large, "Large", "23.50"));
		long productId = catalog.applyShopifyProduct(shop, shopifyProduct.build()).productId();
		List<ProductVariant> before = catalog.variantsOf(shop, List.of(productId)).get(productId);
		long extraLarge = aShopifyVariantId();

		catalog.applyShopifyProduct(shop, shopifyProduct.updatedLater().withVariants(
				new ShopifyProductData.Variant(small, "Small (slim)", "SKU-S", new BigDecimal("18.5"), new BigDecimal("25"),
						3, 1),
				new ShopifyProductData.Variant(medium, "Medium", "SKU-" + medium, new BigDecimal("21.00"), null, 10, 2),
				new ShopifyProductData.Variant(extraLarge, "Extra large", "SKU-XL", new BigDecimal("26"), null, 1, 3))
				.build());

		List<ProductVariant> after = catalog.variantsOf(shop, List.of(productId)).get(productId);
		assertThat(after).extracting(ProductVariant::shopifyVariantId).containsExactly(small, medium, extraLarge);
		assertThat(after.get(0).id()).as("changed in place").isEqualTo(before.get(0).id());
		assertThat(after.get(0).title()).isEqualTo("Small (slim)");
		assertThat(after.get(0).sku()).isEqualTo("SKU-S");
		assertThat(after.get(0).price().amount()).isEqualByComparingTo("18.50");
		assertThat(after.get(0).compareAtPrice().amount()).isEqualByComparingTo("25");
		assertThat(after.get(0).inventoryQuantity()).isEqualTo(3);
		assertThat(after.get(1).id()).isEqualTo(before.get(1).id());
		assertThat(after).extracting(ProductVariant::productId).containsOnly(productId);
		assertThat(jdbc.sql("SELECT count(*) FROM catalog.product_variants WHERE shop_id = :shop AND shopify_variant_id = :id")
				.param("shop", shop.value()).param("id", large).query(Long.class).single())
				.as("the variant Shopify no longer lists is deleted").isZero();
		assertThat(tables.variants(shop)).isEqualTo(3);
	}

	@Test
	void pricesAreExactDecimals() {
		long cheap = aShopifyVariantId();
		long dear = aShopifyVariantId();
		long odd = aShopifyVariantId();
		long productId = catalog.applyShopifyProduct(shop, aShopifyProduct().withVariants(aVariant(cheap, "Cheap", "0.0001"),
				aVariant(dear, "Dear", "999999999999999.9999"), aVariant(odd, "Odd", "19.99")).build()).productId();

		List<ProductVariant> variants = catalog.variantsOf(shop, List.of(productId)).get(productId);

		assertThat(variants).extracting(variant -> variant.price().amount()).containsExactly(new BigDecimal("0.0001"),
				new BigDecimal("999999999999999.9999"), new BigDecimal("19.9900"));
		assertThat(variants.get(2).price().amount()).isEqualByComparingTo(new BigDecimal("19.99"));
		assertThat(variants).extracting(variant -> variant.price().currencyCode()).containsOnly("USD");
	}

	@Test
	void shopifyIdsBeyondTwoToTheFiftyThirdRoundTripExactly() {
		long shopifyId = 9007199254740993L;
		long variantId = Long.MAX_VALUE;
		long productId = catalog.applyShopifyProduct(shop, aShopifyProduct().withShopifyId(shopifyId)
				.withVariants(aVariant(variantId, "Default Title", "5")).build()).productId();

		assertThat(mirrorOf(productId).shopifyId()).isEqualTo(9007199254740993L);
		assertThat(catalog.variantsOf(shop, List.of(productId)).get(productId)).singleElement()
				.satisfies(variant -> assertThat(variant.shopifyVariantId()).isEqualTo(Long.MAX_VALUE));
		assertThat(catalog.markShopifyProductDeleted(shop, 9007199254740993L, Instant.parse("2024-07-01T00:00:00Z")))
				.isEqualTo(new ShopifyProductSync(Outcome.DELETED, productId));
		assertThat(catalog.markShopifyProductDeleted(shop, 9007199254740992L, Instant.parse("2024-07-01T00:00:00Z")))
				.as("its neighbour as a double is another product")
				.isEqualTo(new ShopifyProductSync(Outcome.STALE, 0));
	}

	@Test
	void aDeleteArchivesTheProductAndMarksTheMirrorButRemovesNothing() {
		var shopifyProduct = aShopifyProduct().withStatus("active");
		long productId = catalog.applyShopifyProduct(shop, shopifyProduct.build()).productId();
		Product before = catalog.findProduct(shop, productId).orElseThrow();
		Instant deletedAt = Instant.parse("2024-07-01T12:00:00Z");

		ShopifyProductSync sync = catalog.markShopifyProductDeleted(shop, shopifyProduct.shopifyId(), deletedAt);

		assertThat(sync).isEqualTo(new ShopifyProductSync(Outcome.DELETED, productId));
		Product after = catalog.findProduct(shop, productId).orElseThrow();
		assertThat(after.status()).isEqualTo(ProductStatus.ARCHIVED);
		assertThat(after.title()).isEqualTo(before.title());
		assertThat(after.version()).isGreaterThan(before.version());
		assertThat(mirrorOf(productId).deletedAt()).isEqualTo(deletedAt);
		assertThat(tables.variantsOfProduct(shop, productId)).isOne();
	}

	@Test
	void deletingAgainIsStale() {
		var shopifyProduct = aShopifyProduct();
		long productId = catalog.applyShopifyProduct(shop, shopifyProduct.build()).productId();
		Instant deletedAt = Instant.parse("2024-07-01T12:00:00Z");
		catalog.markShopifyProductDeleted(shop, shopifyProduct.shopifyId(), deletedAt);
		Product deleted = catalog.findProduct(shop, productId).orElseThrow();

		ShopifyProductSync again = catalog.markShopifyProductDeleted(shop, shopifyProduct.shopifyId(),
				deletedAt.plusSeconds(60));

		assertThat(again.outcome()).isEqualTo(Outcome.STALE);
		assertThat(catalog.findProduct(shop, productId)).contains(deleted);
		assertThat(mirrorOf(productId).deletedAt()).isEqualTo(deletedAt);
	}

	@Test
	void anUpdateAfterTheDeleteIsStale() {
		var shopifyProduct = aShopifyProduct().titled("Linen Shirt");
		long productId = catalog.applyShopifyProduct(shop, shopifyProduct.build()).productId();
		catalog.markShopifyProductDeleted(shop, shopifyProduct.shopifyId(), Instant.parse("2024-07-01T12:00:00Z"));
		Product deleted = catalog.findProduct(shop, productId).orElseThrow();

		ShopifyProductSync sync = catalog.applyShopifyProduct(shop, shopifyProduct.updatedAt(
				Instant.parse("2024-08-01T00:00:00Z")).titled("Back from the dead").withStatus("active").build());

		assertThat(sync).isEqualTo(new ShopifyProductSync(Outcome.STALE, productId));
		assertThat(catalog.findProduct(shop, productId)).contains(deleted);
		assertThat(mirrorOf(productId).title()).isEqualTo("Linen Shirt");
	}

	@Test
	void deletingAProductShelfNeverSawIsStale() {
		assertThat(catalog.markShopifyProductDeleted(shop, 123_456_789L, Instant.parse("2024-07-01T12:00:00Z")))
				.isEqualTo(new ShopifyProductSync(Outcome.STALE, 0));
		assertThat(tables.mirrors(shop)).isZero();
	}

	@Test
	void aShopifyProductWhoseHandleACustomProductTookGetsANumberedHandle() {
		catalog.createProduct(shop, aProduct("Mug").withHandle("mug").build());

		long productId = catalog.applyShopifyProduct(shop, aShopifyProduct().withHandle("mug").build()).productId();

		assertThat(catalog.findProduct(shop, productId).orElseThrow().handle()).isEqualTo("mug-2");
		assertThat(mirrorOf(productId).handle()).isEqualTo("mug");
	}

	@Test
	void theSameShopifyProductInTwoShopsIsTwoIndependentProducts() {
		ShopId otherShop = CatalogTables.aFreshShop(shops);
		var shopifyProduct = aShopifyProduct();

		long here = catalog.applyShopifyProduct(shop, shopifyProduct.build()).productId();
		ShopifyProductSync there = catalog.applyShopifyProduct(otherShop, shopifyProduct.build());

		assertThat(there.outcome()).isEqualTo(Outcome.CREATED);
		assertThat(there.productId()).isNotEqualTo(here);
		assertThat(catalog.findProduct(shop, there.productId())).isEmpty();
		assertThat(catalog.shopifyProductsOf(shop, List.of(there.productId()))).isEmpty();
	}

	/**
	 * A mirror from Shelf's first model (no product yet, the merchant's edits in a personalization document) gets its
	 * product when Shopify next updates it, exactly as the backfill would make it: the mirror's id, the merchant's
	 * title remembered as an edit.
	 */
	@Test
	void aLegacyMirrorGetsItsProductWithTheMirrorsIdAndTheMerchantsPersonalizedTitle() {
		long shopifyId = aShopifyProduct().shopifyId();
		long legacyVariantShopifyId = aShopifyVariantId();
		long mirrorId = legacyMirror(shopifyId, "Shopify title", Instant.parse("2024-01-01T00:00:00Z"));
		jdbc.sql("""
				INSERT INTO catalog.personalizations (shop_id, shopify_product_id, customizations)
				VALUES (:shop, :mirror, '{"title": "Merchant title"}'::jsonb)""")
				.param("shop", shop.value()).param("mirror", mirrorId).update();
		long legacyVariantId = jdbc.sql("""
				INSERT INTO catalog.product_variants (shop_id, shopify_product_id, shopify_variant_id, title, price,
				                                      currency_code)
				VALUES (:shop, :mirror, :variant, 'Default Title', 10, 'USD') RETURNING id""")
				.param("shop", shop.value()).param("mirror", mirrorId).param("variant", legacyVariantShopifyId)
				.query(Long.class).single();
		assertThat(catalog.shopifyProductsOf(shop, List.of(mirrorId))).isEmpty();

		ShopifyProductSync sync = catalog.applyShopifyProduct(shop, aShopifyProduct().withShopifyId(shopifyId)
				.updatedAt(Instant.parse("2024-02-01T00:00:00Z")).titled("Shopify title v2").byVendor("Acme Group")
				.withVariants(aVariant(legacyVariantShopifyId, "Default Title", "12.50")).build());

		assertThat(sync).isEqualTo(new ShopifyProductSync(Outcome.UPDATED, mirrorId));
		Product product = catalog.findProduct(shop, mirrorId).orElseThrow();
		assertThat(product.kind()).isEqualTo(ProductKind.SHOPIFY);
		assertThat(product.title()).isEqualTo("Merchant title");
		assertThat(product.merchantEditedFields()).containsExactly(ProductField.TITLE);
		assertThat(product.vendor()).isEqualTo("Acme Group");
		assertThat(mirrorOf(mirrorId).id()).isEqualTo(mirrorId);
		assertThat(mirrorOf(mirrorId).title()).isEqualTo("Shopify title v2");
		assertThat(catalog.variantsOf(shop, List.of(mirrorId)).get(mirrorId)).singleElement().satisfies(variant -> {
			assertThat(variant.id()).as("the legacy variant row, now the product's").isEqualTo(legacyVariantId);
			assertThat(variant.price().amount()).isEqualByComparingTo("12.50");
		});
	}

	@Test
	void concurrentUpdatesOfALegacyMirrorCreateItsProductOnce() throws Exception {
		long shopifyId = aShopifyProduct().shopifyId();
		long mirrorId = legacyMirror(shopifyId, "Shopify title", Instant.parse("2024-01-01T00:00:00Z"));
		ShopifyProductData update = aShopifyProduct().withShopifyId(shopifyId)
				.updatedAt(Instant.parse("2024-02-01T00:00:00Z")).build();

		List<ShopifyProductSync> syncs = Race.run(20, () -> catalog.applyShopifyProduct(shop, update));

		assertThat(syncs).extracting(ShopifyProductSync::outcome).containsOnlyOnce(Outcome.UPDATED)
				.containsOnly(Outcome.UPDATED, Outcome.DUPLICATE);
		assertThat(syncs).extracting(ShopifyProductSync::productId).containsOnly(mirrorId);
		assertThat(tables.products(shop)).isOne();
	}

	private long legacyMirror(long shopifyId, String title, Instant shopifyUpdatedAt) {
		return jdbc.sql("""
				INSERT INTO catalog.shopify_products (shop_id, shopify_id, title, handle, status, shopify_updated_at)
				VALUES (:shop, :shopifyId, :title, :handle, 'active', :updatedAt) RETURNING id""")
				.param("shop", shop.value()).param("shopifyId", shopifyId).param("title", title)
				.param("handle", "legacy-" + shopifyId)
				.param("updatedAt", shopifyUpdatedAt.atOffset(ZoneOffset.UTC))
				.query(Long.class).single();
	}

	private ShopifyProduct mirrorOf(long productId) {
		ShopifyProduct mirror = catalog.shopifyProductsOf(shop, List.of(productId)).get(productId);
		assertThat(mirror).as("mirror of product %d", productId).isNotNull();
		return mirror;
	}
}
