package dev.shelf.catalog;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Direct reads of the catalog's tables, to check what a call wrote (or did not write) beyond what the API shows. */
final class CatalogTables {

	private static final AtomicLong shopNumber = new AtomicLong();

	private final JdbcClient jdbc;

	CatalogTables(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** A shop no other test uses: the database is shared by every test of the JVM. */
	static ShopId aFreshShop(Shops shops) {
		return shops.registerOnFirstSight("catalog-test-" + System.nanoTime() + "-" + shopNumber.incrementAndGet()
				+ ".myshopify.com").id();
	}

	long products(ShopId shop) {
		return count("SELECT count(*) FROM catalog.products WHERE shop_id = :shop", shop);
	}

	long mirrors(ShopId shop) {
		return count("SELECT count(*) FROM catalog.shopify_products WHERE shop_id = :shop", shop);
	}

	long variants(ShopId shop) {
		return count("SELECT count(*) FROM catalog.product_variants WHERE shop_id = :shop", shop);
	}

	long bundles(ShopId shop) {
		return count("SELECT count(*) FROM catalog.bundles WHERE shop_id = :shop", shop);
	}

	long variantsOfProduct(ShopId shop, long productId) {
		return jdbc.sql("SELECT count(*) FROM catalog.product_variants WHERE shop_id = :shop AND product_id = :product")
				.param("shop", shop.value()).param("product", productId)
				.query(Long.class).single();
	}

	private long count(String sql, ShopId shop) {
		return jdbc.sql(sql).param("shop", shop.value()).query(Long.class).single();
	}
}
