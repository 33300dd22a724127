package dev.shelf.catalog.internal;

import java.math.BigDecimal;
import java.text.Normalizer;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import dev.shelf.catalog.ProductField;
import dev.shelf.catalog.ProductKind;
import dev.shelf.catalog.ProductStatus;
import dev.shelf.catalog.ShopId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Writes both sides of the catalog share: inserting a product under a handle unique in its shop, and its variants. */
@Component
class ProductWrites {

	private static final int MAX_HANDLE_ATTEMPTS = 50;

	private final JdbcClient jdbc;

	ProductWrites(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** The values of a new product row. {@code id} is null for a fresh id, set to give a mirror's id to its product. */
	record NewProduct(Long id, ProductKind kind, String title, String descriptionHtml, String vendor, String productType,
			ProductStatus status, List<String> tags, Set<ProductField> merchantEditedFields) {
	}

	/**
	 * Inserts the product under {@code handle}, or, unless the handle was the merchant's explicit choice, under the
	 * first free {@code handle-2}, {@code handle-3}, … Empty when an explicit handle is taken. The unique constraint
	 * decides (ON CONFLICT), so two concurrent inserts can never both take a handle.
	 */
	Optional<Long> insertProduct(ShopId shop, NewProduct product, String handle, boolean explicitHandle) {
		for (int attempt = 1; attempt <= MAX_HANDLE_ATTEMPTS; attempt++) {
			String candidate = attempt == 1 ? handle : suffixed(handle, attempt);
			Optional<Long> id = jdbc.sql("""
					INSERT INTO catalog.products (id, shop_id, kind, title, description_html, handle, vendor, product_type,
					                              status, tags, merchant_edited_fields)
					VALUES (coalesce(:id, nextval(pg_get_serial_sequence('catalog.products', 'id'))), :shop, :kind, :title,
					        :description, :handle, :vendor, :productType, :status, :tags, :edited)
					ON CONFLICT (shop_id, handle) DO NOTHING
					RETURNING id""")
					.param("id", product.id(), java.sql.Types.BIGINT)
					.param("shop", shop.value())
					.param("kind", product.kind().name())
					.param("title", product.title())
					.param("description", product.descriptionHtml())
					.param("handle", candidate)
					.param("vendor", product.vendor())
					.param("productType", product.productType())
					.param("status", product.status().name())
					.param("tags", product.tags().toArray(String[]::new))
					.param("edited", product.merchantEditedFields().stream().map(Enum::name).sorted().toArray(String[]::new))
					.query(Long.class).optional();
			if (id.isPresent() || explicitHandle) {
				return id;
			}
		}
		throw new IllegalStateException("No free handle near '" + handle + "' after " + MAX_HANDLE_ATTEMPTS + " tries");
	}

	boolean handleTaken(ShopId shop, String handle, long exceptProductId) {
		return jdbc.sql("SELECT EXISTS (SELECT 1 FROM catalog.products WHERE shop_id = :shop AND handle = :handle AND id <> :id)")
				.param("shop", shop.value()).param("handle", handle).param("id", exceptProductId)
				.query(Boolean.class).single();
	}

	String currencyOf(ShopId shop) {
		return jdbc.sql("SELECT currency_code FROM catalog.shops WHERE id = :shop").param("shop", shop.value())
				.query(String.class).single();
	}

	/** A variant row to write; {@code shopifyVariantId} is null for a custom product's variant. */
	record NewVariant(Long shopifyVariantId, String title, String sku, BigDecimal price, BigDecimal compareAtPrice,
			int inventoryQuantity, int position) {
	}

	/** Inserts variants in one set-based statement. */
	void insertVariants(ShopId shop, long productId, Long mirrorId, String currency, Collection<NewVariant> variants) {
		if (variants.isEmpty()) {
			return;
		}
		jdbc.sql("""
				INSERT INTO catalog.product_variants (shop_id, product_id, shopify_product_id, shopify_variant_id, title, sku,
				                                      price, currency_code, compare_at_price, inventory_quantity, position)
				SELECT :shop, :product, :mirror, v.shopify_id, v.title, v.sku, v.price, :currency, v.compare_at, v.quantity,
				       v.position
				FROM unnest(:shopifyIds::bigint[], :titles::text[], :skus::text[], :prices::numeric[], :compareAts::numeric[],
				            :quantities::int[], :positions::int[])
				     AS v(shopify_id, title, sku, price, compare_at, quantity, position)
				ON CONFLICT (shop_id, shopify_variant_id) DO UPDATE SET
				    product_id = EXCLUDED.product_id, shopify_product_id = EXCLUDED.shopify_product_id,
				    title = EXCLUDED.title, sku = EXCLUDED.sku, price = EXCLUDED.price,
				    currency_code = EXCLUDED.currency_code, compare_at_price = EXCLUDED.compare_at_price,
				    inventory_quantity = EXCLUDED.inventory_quantity, position = EXCLUDED.position, updated_at = now()""")
				.param("shop", shop.value())
				.param("product", productId)
				.param("mirror", mirrorId, java.sql.Types.BIGINT)
				.param("currency", currency)
				.param("shopifyIds", variants.stream().map(NewVariant::shopifyVariantId).toArray(Long[]::new))
				.param("titles", variants.stream().map(NewVariant::title).toArray(String[]::new))
				.param("skus", variants.stream().map(NewVariant::sku).toArray(String[]::new))
				.param("prices", variants.stream().map(NewVariant::price).toArray(BigDecimal[]::new))
				.param("compareAts", variants.stream().map(NewVariant::compareAtPrice).toArray(BigDecimal[]::new))
				.param("quantities", variants.stream().map(NewVariant::inventoryQuantity).toArray(Integer[]::new))
				.param("positions", variants.stream().map(NewVariant::position).toArray(Integer[]::new))
				.update();
	}

	/** An explicit, logged-by-caller deletion of a product's variants; never a cascade. */
	int deleteVariants(ShopId shop, long productId) {
		return jdbc.sql("DELETE FROM catalog.product_variants WHERE shop_id = :shop AND product_id = :product")
				.param("shop", shop.value()).param("product", productId).update();
	}

	/** A URL-friendly ASCII handle from a title: "Blue T-Shirt (XL)" becomes "blue-t-shirt-xl". */
	static String handleFrom(String title) {
		String ascii = Normalizer.normalize(title, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
		String handle = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
		if (handle.length() > 200) {
			handle = handle.substring(0, 200).replaceAll("-+$", "");
		}
		return handle.isEmpty() ? "product" : handle;
	}

	private static String suffixed(String handle, int attempt) {
		String suffix = "-" + attempt;
		return (handle.length() + suffix.length() > 255 ? handle.substring(0, 255 - suffix.length()) : handle) + suffix;
	}
}
