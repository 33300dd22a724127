package dev.shelf.catalog;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.shelf.catalog.CatalogTables.aFreshShop;
import static dev.shelf.catalog.ProductInputs.aProduct;
import static dev.shelf.catalog.ProductInputs.aVariantPriced;
import static dev.shelf.catalog.ShopifyProducts.aShopifyProduct;
import static dev.shelf.catalog.ShopifyProducts.aShopifyVariantId;
import static dev.shelf.catalog.ShopifyProducts.aVariant;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code shop/redact}'s catalog part: batches of bounded size, children before parents, the shop's row last. */
@CatalogModuleTest
class ShopErasureTests {

	@Autowired
	Shops shops;

	@Autowired
	Catalog catalog;

	@Autowired
	JdbcClient jdbc;

	@Test
	void eachBatchDeletesAtMostItsSizeFromOneTableUntilTheShopItselfIsGone() {
		ShopId shop = aFreshShop(shops);
		ShopId neighbour = aFreshShop(shops);
		for (ShopId each : List.of(shop, neighbour)) {
			catalog.applyShopifyProduct(each, aShopifyProduct().withVariants(aVariant(aShopifyVariantId(), "S", "1.00"),
					aVariant(aShopifyVariantId(), "M", "1.00"), aVariant(aShopifyVariantId(), "L", "1.00")).build());
			catalog.createProduct(each, aProduct("Custom").withVariants(aVariantPriced("5.00")).build());
		}
		long neighbourRows = rowsOf(neighbour);

		List<ErasedRows> batches = new ArrayList<>();
		ErasedRows batch;
		while (!(batch = shops.eraseBatch(shop, 2)).isEmpty()) {
			batches.add(batch);
			assertThat(batch.byTable()).hasSize(1);
			assertThat(batch.total()).isBetween(1L, 2L);
		}

		assertThat(batches.stream().map(b -> b.byTable().keySet().iterator().next()).distinct().toList())
				.containsExactly("catalog.product_variants", "catalog.shopify_products", "catalog.products", "catalog.shops");
		assertThat(batches.stream().reduce(ErasedRows.NONE, ErasedRows::plus).byTable())
				.containsEntry("catalog.product_variants", 4L).containsEntry("catalog.products", 2L)
				.containsEntry("catalog.shopify_products", 1L).containsEntry("catalog.shops", 1L);
		assertThat(rowsOf(shop)).isZero();
		assertThat(shops.find(shop)).isEmpty();
		assertThat(rowsOf(neighbour)).isEqualTo(neighbourRows);
		assertThat(shops.find(neighbour)).isPresent();
	}

	private long rowsOf(ShopId shop) {
		return jdbc.sql("""
				SELECT (SELECT count(*) FROM catalog.products WHERE shop_id = :shop)
				     + (SELECT count(*) FROM catalog.shopify_products WHERE shop_id = :shop)
				     + (SELECT count(*) FROM catalog.product_variants WHERE shop_id = :shop)""")
				.param("shop", shop.value()).query(Long.class).single();
	}
}
