package dev.shelf.catalog;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.shelf.catalog.ProductUserError.Code;
import dev.shelf.testing.Race;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.shelf.catalog.ProductInputs.aChange;
import static dev.shelf.catalog.ProductInputs.aProduct;
import static dev.shelf.catalog.ProductInputs.aVariant;
import static dev.shelf.catalog.ProductInputs.aVariantPriced;
import static dev.shelf.catalog.ProductInputs.component;
import static dev.shelf.catalog.ShopifyProducts.aShopifyProduct;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The merchant's side of the catalog: products created and changed in Shelf. Every refusal is a user error that
 * leaves the data as it was; concurrent edits are refused, never lost.
 */
@CatalogModuleTest
class CustomProductTests {

	@Autowired
	Catalog catalog;

	@Autowired
	Shops shops;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TransactionTemplate transactions;

	ShopId shop;

	CatalogTables tables;

	@BeforeEach
	void aFreshShop() {
		shop = CatalogTables.aFreshShop(shops);
		tables = new CatalogTables(jdbc);
	}

	// Creating.

	@Test
	void aProductCreatedWithOnlyATitleIsAnActiveCustomProductWithAHandleFromItsTitle() {
		ProductChange created = catalog.createProduct(shop, aProduct("Blue T-Shirt").build());

		assertThat(created.userErrors()).isEmpty();
		Product product = created.product();
		assertThat(product.title()).isEqualTo("Blue T-Shirt");
		assertThat(product.handle()).isEqualTo("blue-t-shirt");
		assertThat(product.status()).isEqualTo(ProductStatus.ACTIVE);
		assertThat(product.kind()).isEqualTo(ProductKind.CUSTOM);
		assertThat(product.shopId()).isEqualTo(shop);
		assertThat(product.descriptionHtml()).isEmpty();
		assertThat(product.tags()).isEmpty();
		assertThat(product.merchantEditedFields()).isEmpty();
		assertThat(catalog.findProduct(shop, product.id())).contains(product);
		assertThat(catalog.shopifyProductsOf(shop, List.of(product.id()))).isEmpty();
	}

	@Test
	void productsWithTheSameTitleGetNumberedHandles() {
		catalog.createProduct(shop, aProduct("Blue T-Shirt").build());

		Product second = catalog.createProduct(shop, aProduct("Blue T-Shirt").build()).product();
		Product third = catalog.createProduct(shop, aProduct("Blue  t-shirt!").build()).product();

		assertThat(second.handle()).isEqualTo("blue-t-shirt-2");
		assertThat(third.handle()).isEqualTo("blue-t-shirt-3");
	}

	@Test
	void concurrentCreatesWithTheSameTitleAllSucceedWithDistinctHandles() throws Exception {
		List<ProductChange> created = Race.run(10, () -> catalog.createProduct(shop, aProduct("Blue T-Shirt").build()));

		assertThat(created).allSatisfy(change -> assertThat(change.userErrors()).isEmpty());
		assertThat(created).extracting(change -> change.product().handle()).containsExactlyInAnyOrder("blue-t-shirt",
				"blue-t-shirt-2", "blue-t-shirt-3", "blue-t-shirt-4", "blue-t-shirt-5", "blue-t-shirt-6", "blue-t-shirt-7",
				"blue-t-shirt-8", "blue-t-shirt-9", "blue-t-shirt-10");
		assertThat(tables.products(shop)).isEqualTo(10);
	}

	@Test
	void anExplicitHandleThatIsTakenIsRefusedAndNothingIsWritten() {
		catalog.createProduct(shop, aProduct("Mug").withHandle("mug").build());
		long variantsBefore = tables.variants(shop);

		ProductChange refused = catalog.createProduct(shop, aProduct("Another mug").withHandle("mug")
				.withVariants(aVariantPriced("9.99")).build());

		assertThat(refused.product()).isNull();
		assertThat(refused.userErrors()).extracting(ProductUserError::code, ProductUserError::field)
				.containsExactly(tuple(Code.TAKEN, List.of("input", "handle")));
		assertThat(tables.products(shop)).isOne();
		assertThat(tables.variants(shop)).isEqualTo(variantsBefore);
	}

	@Test
	void aBlankTitleIsRefused() {
		for (String blank : new String[] { "", "   ", null }) {
			ProductChange refused = catalog.createProduct(shop, aProduct(blank).build());

			assertThat(refused.userErrors()).as("title '%s'", blank)
					.extracting(ProductUserError::code, ProductUserError::field)
					.containsExactly(tuple(Code.BLANK, List.of("input", "title")));
		}
		assertThat(tables.products(shop)).isZero();
	}

	@Test
	void anInvalidHandleIsRefused() {
		for (String invalid : new String[] { "Blue-Shirt", "blue shirt", "-blue", "blue-", "blue--shirt", "blåbär",
				"blue_shirt", "x".repeat(256) }) {
			ProductChange refused = catalog.createProduct(shop, aProduct("Blue Shirt").withHandle(invalid).build());

			assertThat(refused.userErrors()).as("handle '%s'", invalid)
					.extracting(ProductUserError::code, ProductUserError::field)
					.containsExactly(tuple(Code.INVALID, List.of("input", "handle")));
		}
		assertThat(tables.products(shop)).isZero();
	}

	@Test
	void everyProblemOfAnInputIsReportedAtOnce() {
		ProductChange refused = catalog.createProduct(shop, aProduct(" ").withHandle("Not A Handle")
				.byVendor("v".repeat(256)).withVariants(aVariantPriced("1.00"), aVariantPriced("-1")).build());

		assertThat(refused.product()).isNull();
		assertThat(refused.userErrors()).extracting(ProductUserError::code, ProductUserError::field)
				.containsExactlyInAnyOrder(
						tuple(Code.BLANK, List.of("input", "title")),
						tuple(Code.INVALID, List.of("input", "handle")),
						tuple(Code.TOO_LONG, List.of("input", "vendor")),
						tuple(Code.INVALID, List.of("input", "variants", "1", "price")));
		assertThat(tables.products(shop)).isZero();
	}

	@Test
	void aNegativePriceOrOneWithMoreThanFourDecimalsIsInvalid() {
		for (String price : new String[] { "-0.01", "1.00001" }) {
			ProductChange refused = catalog.createProduct(shop, aProduct("Mug").withVariants(aVariantPriced(price)).build());

			assertThat(refused.userErrors()).as("price %s", price)
					.extracting(ProductUserError::code, ProductUserError::field)
					.containsExactly(tuple(Code.INVALID, List.of("input", "variants", "0", "price")));
		}
		assertThat(tables.products(shop)).isZero();
		assertThat(tables.variants(shop)).isZero();
	}

	@Test
	void variantPricesAreKeptExactly() {
		Product mug = catalog.createProduct(shop, aProduct("Mug").withVariants(aVariantPriced("19.99"),
				aVariantPriced("0.0001"), aVariantPriced("12.50000")).build()).product();

		assertThat(catalog.variantsOf(shop, List.of(mug.id())).get(mug.id()))
				.extracting(variant -> variant.price().amount().toPlainString())
				.containsExactly("19.9900", "0.0001", "12.5000");
	}

	// Updating.

	@Test
	void anUpdateNamingTheCurrentVersionIsAppliedAndBumpsTheVersion() {
		Product mug = catalog.createProduct(shop, aProduct("Mug").build()).product();

		ProductChange updated = catalog.updateProduct(shop, mug.id(),
				aChange().titled("Big Mug").byVendor("Potter").taggedWith("kitchen").build(), mug.version());

		assertThat(updated.userErrors()).isEmpty();
		assertThat(updated.product().title()).isEqualTo("Big Mug");
		assertThat(updated.product().vendor()).isEqualTo("Potter");
		assertThat(updated.product().tags()).containsExactly("kitchen");
		assertThat(updated.product().handle()).as("the handle stays").isEqualTo("mug");
		assertThat(updated.product().version()).isEqualTo(mug.version() + 1);
		assertThat(updated.product().merchantEditedFields()).as("only Shopify products remember edits").isEmpty();
		assertThat(catalog.findProduct(shop, mug.id())).contains(updated.product());
	}

	@Test
	void anUpdateNamingAnOlderVersionIsAConflictAndChangesNothing() {
		Product mug = catalog.createProduct(shop, aProduct("Mug").build()).product();
		Product current = catalog.updateProduct(shop, mug.id(), aChange().titled("Big Mug").build(), mug.version())
				.product();

		ProductChange conflict = catalog.updateProduct(shop, mug.id(), aChange().titled("Small Mug")
				.withVariants(aVariantPriced("5")).build(), mug.version());

		assertThat(conflict.product()).isNull();
		assertThat(conflict.userErrors()).extracting(ProductUserError::code).containsExactly(Code.CONFLICT);
		assertThat(catalog.findProduct(shop, mug.id())).contains(current);
		assertThat(tables.variantsOfProduct(shop, mug.id())).isZero();
	}

	@Test
	void ofConcurrentUpdatesNamingTheSameVersionExactlyOneSucceeds() throws Exception {
		Product mug = catalog.createProduct(shop, aProduct("Mug").build()).product();
		var writer = new AtomicInteger();

		List<ProductChange> changes = Race.run(8, () -> catalog.updateProduct(shop, mug.id(),
				aChange().titled("Mug by writer " + writer.incrementAndGet()).build(), mug.version()));

		assertThat(changes).filteredOn(ProductChange::succeeded).hasSize(1);
		assertThat(changes).filteredOn(change -> !change.succeeded())
				.allSatisfy(change -> assertThat(change.userErrors()).extracting(ProductUserError::code)
						.containsExactly(Code.CONFLICT));
		Product winner = changes.stream().filter(ProductChange::succeeded).findFirst().orElseThrow().product();
		assertThat(catalog.findProduct(shop, mug.id())).contains(winner);
		assertThat(winner.version()).isEqualTo(mug.version() + 1);
	}

	/** The lost update a barrier produces only by luck, forced: the first writer has not committed yet. */
	@Test
	void anUpdateWaitingOnAConcurrentUpdateOfTheSameVersionIsAConflict() throws Exception {
		Product mug = catalog.createProduct(shop, aProduct("Mug").build()).product();

		try (var first = HeldTransaction.open(transactions,
				() -> catalog.updateProduct(shop, mug.id(), aChange().titled("First").build(), mug.version()))) {
			CompletableFuture<ProductChange> second = HeldTransaction.competingCall(jdbc, "catalog.products",
					() -> catalog.updateProduct(shop, mug.id(), aChange().titled("Second").build(), mug.version()));
			first.commit();

			assertThat(first.result().succeeded()).isTrue();
			assertThat(second.get(20, TimeUnit.SECONDS).userErrors()).extracting(ProductUserError::code)
					.containsExactly(Code.CONFLICT);
		}
		assertThat(catalog.findProduct(shop, mug.id()).orElseThrow().title()).isEqualTo("First");
	}

	@Test
	void variantsGivenOnUpdateReplaceTheProductsVariants() {
		Product mug = catalog.createProduct(shop, aProduct("Mug")
				.withVariants(aVariant("Small", "5"), aVariant("Large", "7")).build()).product();

		ProductChange updated = catalog.updateProduct(shop, mug.id(),
				aChange().withVariants(aVariant("Huge", "12.25")).build(), mug.version());

		assertThat(updated.userErrors()).isEmpty();
		assertThat(updated.product().version()).as("a variant change is a change").isEqualTo(mug.version() + 1);
		assertThat(catalog.variantsOf(shop, List.of(mug.id())).get(mug.id()))
				.extracting(ProductVariant::title, variant -> variant.price().amount().toPlainString(),
						ProductVariant::position, ProductVariant::shopifyVariantId)
				.containsExactly(tuple("Huge", "12.2500", 1, null));
		assertThat(tables.variants(shop)).isOne();
	}

	@Test
	void variantsLeftOutOfAnUpdateStayAsTheyAre() {
		Product mug = catalog.createProduct(shop, aProduct("Mug").withVariants(aVariant("Small", "5")).build())
				.product();

		catalog.updateProduct(shop, mug.id(), aChange().titled("Big Mug").build(), null);

		assertThat(catalog.variantsOf(shop, List.of(mug.id())).get(mug.id())).extracting(ProductVariant::title)
				.containsExactly("Small");
	}

	@Test
	void aHandleTakenByAnotherProductIsRefusedOnUpdate() {
		catalog.createProduct(shop, aProduct("Mug").build());
		Product plate = catalog.createProduct(shop, aProduct("Plate").build()).product();

		ProductChange refused = catalog.updateProduct(shop, plate.id(), aChange().withHandle("mug").build(), null);

		assertThat(refused.userErrors()).extracting(ProductUserError::code, ProductUserError::field)
				.containsExactly(tuple(Code.TAKEN, List.of("input", "handle")));
		assertThat(catalog.findProduct(shop, plate.id())).contains(plate);
	}

	@Test
	void anInvalidVariantPriceOnUpdateIsRefusedWithItsPathAndChangesNothing() {
		Product mug = catalog.createProduct(shop, aProduct("Mug").withVariants(aVariant("Small", "5")).build())
				.product();

		ProductChange refused = catalog.updateProduct(shop, mug.id(), aChange().titled("Big Mug")
				.withVariants(aVariant("Small", "5"), aVariant("Large", "7.12345")).build(), mug.version());

		assertThat(refused.userErrors()).extracting(ProductUserError::code, ProductUserError::field)
				.containsExactly(tuple(Code.INVALID, List.of("input", "variants", "1", "price")));
		assertThat(catalog.findProduct(shop, mug.id())).contains(mug);
		assertThat(tables.variantsOfProduct(shop, mug.id())).isOne();
	}

	// Deleting, archiving.

	@Test
	void deletingACustomProductRemovesItAndItsVariants() {
		Product mug = catalog.createProduct(shop, aProduct("Mug")
				.withVariants(aVariant("Small", "5"), aVariant("Large", "7")).build()).product();
		Product plate = catalog.createProduct(shop, aProduct("Plate").withVariants(aVariant("Flat", "3")).build())
				.product();

		ProductChange deleted = catalog.deleteProduct(shop, mug.id());

		assertThat(deleted.userErrors()).isEmpty();
		assertThat(deleted.product().id()).isEqualTo(mug.id());
		assertThat(catalog.findProduct(shop, mug.id())).isEmpty();
		assertThat(tables.variantsOfProduct(shop, mug.id())).isZero();
		assertThat(tables.variantsOfProduct(shop, plate.id())).as("other products untouched").isOne();
		assertThat(catalog.deleteProduct(shop, mug.id()).userErrors()).extracting(ProductUserError::code)
				.containsExactly(Code.NOT_FOUND);
	}

	@Test
	void aShopifyProductCannotBeDeletedOnlyArchived() {
		long shirt = catalog.applyShopifyProduct(shop, aShopifyProduct().build()).productId();

		ProductChange refused = catalog.deleteProduct(shop, shirt);

		assertThat(refused.userErrors()).extracting(ProductUserError::code)
				.containsExactly(Code.SHOPIFY_PRODUCT_NOT_EDITABLE_THIS_WAY);
		assertThat(catalog.findProduct(shop, shirt)).isPresent();
		assertThat(tables.variantsOfProduct(shop, shirt)).isOne();
	}

	@Test
	void aProductThatIsAComponentOfABundleCannotBeDeleted() {
		long mug = catalog.createProduct(shop, aProduct("Mug").build()).product().id();
		long plate = catalog.createProduct(shop, aProduct("Plate").build()).product().id();
		long set = catalog.createProduct(shop, aProduct("Breakfast Set")
				.withComponents(component(plate, 1), component(mug, 2)).build()).product().id();

		ProductChange refused = catalog.deleteProduct(shop, mug);

		assertThat(refused.userErrors()).extracting(ProductUserError::code).containsExactly(Code.IN_USE);
		assertThat(catalog.findProduct(shop, mug)).isPresent();
		assertThat(catalog.updateProduct(shop, set, aChange().withComponents(component(plate, 1)).build(), null)
				.userErrors()).isEmpty();
		assertThat(catalog.deleteProduct(shop, mug).userErrors()).as("once out of the bundle").isEmpty();
	}

	@Test
	void deletingABundleDeletesItsComponentListButNotItsComponents() {
		long mug = catalog.createProduct(shop, aProduct("Mug").build()).product().id();
		long set = catalog.createProduct(shop, aProduct("Set").withComponents(component(mug, 2)).build()).product().id();

		assertThat(catalog.deleteProduct(shop, set).userErrors()).isEmpty();

		assertThat(tables.bundles(shop)).isZero();
		assertThat(catalog.findProduct(shop, mug)).isPresent();
		assertThat(catalog.deleteProduct(shop, mug).userErrors()).isEmpty();
	}

	/**
	 * A bundle naming a product and the deletion of that product, concurrently: whichever commits first, no bundle
	 * may end up naming a product that no longer exists.
	 */
	@Test
	void aProductCannotBeDeletedWhileABundleNamingItIsBeingCreated() throws Exception {
		long mug = catalog.createProduct(shop, aProduct("Mug").build()).product().id();

		try (var bundle = HeldTransaction.open(transactions,
				() -> catalog.createProduct(shop, aProduct("Set").withComponents(component(mug, 2)).build()))) {
			CompletableFuture<ProductChange> deletion = HeldTransaction.competingCall(jdbc, "catalog.products",
					() -> catalog.deleteProduct(shop, mug));
			bundle.commit();

			assertThat(bundle.result().userErrors()).isEmpty();
			assertThat(deletion.get(20, TimeUnit.SECONDS).userErrors()).extracting(ProductUserError::code)
					.containsExactly(Code.IN_USE);
		}
		assertThat(catalog.findProduct(shop, mug)).isPresent();
	}

	@Test
	void aBundleCannotNameAProductWhoseDeletionIsCommitting() throws Exception {
		long mug = catalog.createProduct(shop, aProduct("Mug").build()).product().id();

		try (var deletion = HeldTransaction.open(transactions, () -> catalog.deleteProduct(shop, mug))) {
			CompletableFuture<ProductChange> bundle = HeldTransaction.competingCall(jdbc, "catalog.products",
					() -> catalog.createProduct(shop, aProduct("Set").withComponents(component(mug, 2)).build()));
			deletion.commit();

			assertThat(deletion.result().userErrors()).isEmpty();
			assertThat(bundle.get(20, TimeUnit.SECONDS).userErrors())
					.extracting(ProductUserError::code, ProductUserError::field)
					.containsExactly(tuple(Code.NOT_FOUND, List.of("input", "bundleComponents", "0", "productId")));
		}
		assertThat(tables.bundles(shop)).isZero();
	}

	@Test
	void archivingAndUnarchivingMoveTheStatusAndBumpTheVersion() {
		Product mug = catalog.createProduct(shop, aProduct("Mug").build()).product();

		Product archived = catalog.archiveProduct(shop, mug.id()).product();
		Product unarchived = catalog.unarchiveProduct(shop, mug.id()).product();

		assertThat(archived.status()).isEqualTo(ProductStatus.ARCHIVED);
		assertThat(archived.version()).isEqualTo(mug.version() + 1);
		assertThat(unarchived.status()).isEqualTo(ProductStatus.DRAFT);
		assertThat(unarchived.version()).isEqualTo(mug.version() + 2);
		assertThat(unarchived.merchantEditedFields()).isEmpty();
	}

	@Test
	void archivingAShopifyProductIsRememberedAsAnEditOfItsStatus() {
		long shirt = catalog.applyShopifyProduct(shop, aShopifyProduct().build()).productId();

		Product archived = catalog.archiveProduct(shop, shirt).product();

		assertThat(archived.status()).isEqualTo(ProductStatus.ARCHIVED);
		assertThat(archived.merchantEditedFields()).containsExactly(ProductField.STATUS);
	}

	// Bundles.

	@Test
	void aBundleListsItsComponentsInTheGivenOrder() {
		long mug = catalog.createProduct(shop, aProduct("Mug").build()).product().id();
		long plate = catalog.createProduct(shop, aProduct("Plate").build()).product().id();
		long shirt = catalog.applyShopifyProduct(shop, aShopifyProduct().build()).productId();

		ProductChange bundle = catalog.createProduct(shop, aProduct("Gift Set")
				.withComponents(component(plate, 2), component(shirt, 1), component(mug, 3)).build());

		assertThat(bundle.userErrors()).isEmpty();
		long set = bundle.product().id();
		assertThat(catalog.bundleComponentsOf(shop, List.of(set, mug))).containsOnlyKeys(set);
		assertThat(catalog.bundleComponentsOf(shop, List.of(set)).get(set)).containsExactly(
				new BundleComponent(plate, 2), new BundleComponent(shirt, 1), new BundleComponent(mug, 3));
	}

	@Test
	void bundleComponentsGivenOnUpdateReplaceTheList() {
		long mug = catalog.createProduct(shop, aProduct("Mug").build()).product().id();
		long plate = catalog.createProduct(shop, aProduct("Plate").build()).product().id();
		long set = catalog.createProduct(shop, aProduct("Set").withComponents(component(mug, 1)).build()).product().id();

		catalog.updateProduct(shop, set, aChange().withComponents(component(plate, 4), component(mug, 1)).build(), null);

		assertThat(catalog.bundleComponentsOf(shop, List.of(set)).get(set))
				.containsExactly(new BundleComponent(plate, 4), new BundleComponent(mug, 1));
	}

	@Test
	void aComponentFromAnotherShopIsNotFoundAndNothingIsWritten() {
		ShopId otherShop = CatalogTables.aFreshShop(shops);
		long mug = catalog.createProduct(shop, aProduct("Mug").build()).product().id();
		long theirs = catalog.createProduct(otherShop, aProduct("Their Mug").build()).product().id();

		ProductChange refused = catalog.createProduct(shop, aProduct("Set")
				.withComponents(component(mug, 1), component(theirs, 1)).build());

		assertThat(refused.userErrors()).extracting(ProductUserError::code, ProductUserError::field)
				.containsExactly(tuple(Code.NOT_FOUND, List.of("input", "bundleComponents", "1", "productId")));
		assertThat(tables.products(shop)).isOne();
		assertThat(tables.bundles(shop)).isZero();
	}

	/**
	 * Bundles from Shelf's first model name their components by Shopify product id; they read as the Shelf products
	 * those Shopify products are mirrored to, or as product 0 (missing) where Shelf never mirrored one.
	 */
	@Test
	void legacyBundleComponentsResolveToTheProductsOfTheirShopifyProducts() {
		var shirt = aShopifyProduct();
		long shirtProduct = catalog.applyShopifyProduct(shop, shirt.build()).productId();
		var scarf = aShopifyProduct().withShopifyId(9007199254740993L);
		long scarfProduct = catalog.applyShopifyProduct(shop, scarf.build()).productId();
		long set = catalog.createProduct(shop, aProduct("Legacy Set").build()).product().id();
		jdbc.sql("""
				INSERT INTO catalog.bundles (shop_id, product_id, title, components)
				VALUES (:shop, :set, 'Legacy Set', jsonb_build_array(
				    jsonb_build_object('shopify_product_id', :shirt::bigint, 'quantity', 2),
				    jsonb_build_object('shopify_product_id', :scarf::text, 'quantity', 1),
				    jsonb_build_object('shopify_product_id', 42, 'quantity', 5)))""")
				.param("shop", shop.value()).param("set", set).param("shirt", shirt.shopifyId())
				.param("scarf", Long.toString(scarf.shopifyId()))
				.update();

		assertThat(catalog.bundleComponentsOf(shop, List.of(set)).get(set)).containsExactly(
				new BundleComponent(shirtProduct, 2), new BundleComponent(scarfProduct, 1), new BundleComponent(0, 5));
	}

	// Tenancy.

	@Test
	void anotherShopsProductBehavesAsIfItDidNotExist() {
		ShopId otherShop = CatalogTables.aFreshShop(shops);
		Product theirs = catalog.createProduct(otherShop, aProduct("Their Mug").withVariants(aVariant("Small", "5"))
				.build()).product();
		long theirShirt = catalog.applyShopifyProduct(otherShop, aShopifyProduct().build()).productId();

		assertThat(catalog.findProduct(shop, theirs.id())).isEmpty();
		assertThat(catalog.findProducts(shop, List.of(theirs.id(), theirShirt))).isEmpty();
		assertThat(catalog.variantsOf(shop, List.of(theirs.id()))).isEmpty();
		assertThat(catalog.shopifyProductsOf(shop, List.of(theirShirt))).isEmpty();
		for (ProductChange refused : List.of(
				catalog.updateProduct(shop, theirs.id(), aChange().titled("Mine now").build(), null),
				catalog.deleteProduct(shop, theirs.id()),
				catalog.archiveProduct(shop, theirs.id()),
				catalog.unarchiveProduct(shop, theirs.id()))) {
			assertThat(refused.userErrors()).extracting(ProductUserError::code).containsExactly(Code.NOT_FOUND);
		}
		assertThat(catalog.findProduct(otherShop, theirs.id())).contains(theirs);
		assertThat(tables.variantsOfProduct(otherShop, theirs.id())).isOne();
	}
}
