package dev.shelf.catalog.internal;

import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.shelf.catalog.ProductField;
import dev.shelf.catalog.ProductKind;
import dev.shelf.catalog.ProductStatus;
import dev.shelf.catalog.ShopId;
import dev.shelf.catalog.ShopifyProductData;
import dev.shelf.catalog.ShopifyProductSync;
import dev.shelf.catalog.ShopifyProductSync.Outcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Keeps the catalog in step with Shopify. Duplicates and races are settled by the database, not by
 * check-then-insert: the mirror's unique key {@code (shop_id, shopify_id)} lets exactly one delivery create it,
 * and every later delivery locks that row before comparing Shopify's {@code updated_at}, so concurrent duplicates
 * apply once and out-of-order updates never overwrite newer data.
 */
@Component
class ShopifyMirror {

	private static final Logger log = LoggerFactory.getLogger(ShopifyMirror.class);

	private final JdbcClient jdbc;
	private final ProductWrites writes;

	ShopifyMirror(JdbcClient jdbc, ProductWrites writes) {
		this.jdbc = jdbc;
		this.writes = writes;
	}

	@Transactional
	ShopifyProductSync apply(ShopId shop, ShopifyProductData data) {
		Optional<Long> createdMirror = jdbc.sql("""
				INSERT INTO catalog.shopify_products (shop_id, shopify_id, title, body_html, vendor, product_type, handle,
				                                      status, tags, shopify_updated_at, raw)
				VALUES (:shop, :shopifyId, :title, :bodyHtml, :vendor, :productType, :handle, :status, :tags, :updatedAt,
				        :raw::jsonb)
				ON CONFLICT (shop_id, shopify_id) DO NOTHING
				RETURNING id""")
				.paramSource(mirrorValues(shop, data))
				.query(Long.class).optional();
		if (createdMirror.isPresent()) {
			// A fresh id from the products' sequence: reusing the mirror's id would collide with a custom product once
			// the mirror sequence reaches the ids the products' sequence has handed out.
			long productId = createProduct(shop, createdMirror.get(), null, data, Map.of());
			return new ShopifyProductSync(Outcome.CREATED, productId);
		}

		StoredMirror stored = jdbc.sql("""
				SELECT id, product_id, shopify_updated_at, deleted_at FROM catalog.shopify_products
				WHERE shop_id = :shop AND shopify_id = :shopifyId FOR UPDATE""")
				.param("shop", shop.value()).param("shopifyId", data.shopifyId())
				.query((row, n) -> new StoredMirror(row.getLong(1), (Long) row.getObject(2), ProductRows.instant(row, 3),
						ProductRows.instant(row, 4)))
				.single();
		if (stored.deletedAt() != null || data.updatedAt().isBefore(stored.shopifyUpdatedAt())) {
			log.info("Ignored stale Shopify update of product {} (updated_at {}, stored {}{})", data.shopifyId(),
					data.updatedAt(), stored.shopifyUpdatedAt(), stored.deletedAt() != null ? ", deleted" : "");
			return new ShopifyProductSync(Outcome.STALE, stored.productId() == null ? 0 : stored.productId());
		}
		if (data.updatedAt().equals(stored.shopifyUpdatedAt()) && stored.productId() != null) {
			return new ShopifyProductSync(Outcome.DUPLICATE, stored.productId());
		}

		jdbc.sql("""
				UPDATE catalog.shopify_products SET title = :title, body_html = :bodyHtml, vendor = :vendor,
				    product_type = :productType, handle = :handle, status = :status, tags = :tags,
				    shopify_updated_at = :updatedAt, raw = :raw::jsonb, updated_at = now()
				WHERE shop_id = :shop AND id = :mirrorId""")
				.paramSource(mirrorValues(shop, data).addValue("mirrorId", stored.id()))
				.update();
		if (stored.productId() == null) {
			// A mirror from before the generic model, not yet backfilled: its product is born now, with the mirror's
			// id and the merchant's old personalization, exactly as the backfill would make it.
			long productId = createProduct(shop, stored.id(), stored.id(), data, personalization(shop, stored.id()));
			return new ShopifyProductSync(Outcome.UPDATED, productId);
		}
		// Every field the merchant edited keeps the merchant's value.
		jdbc.sql("""
				UPDATE catalog.products SET
				    title = CASE WHEN 'TITLE' = ANY(merchant_edited_fields) THEN title ELSE :productTitle END,
				    description_html = CASE WHEN 'DESCRIPTION_HTML' = ANY(merchant_edited_fields) THEN description_html ELSE :bodyHtml END,
				    vendor = CASE WHEN 'VENDOR' = ANY(merchant_edited_fields) THEN vendor ELSE :vendor END,
				    product_type = CASE WHEN 'PRODUCT_TYPE' = ANY(merchant_edited_fields) THEN product_type ELSE :productType END,
				    status = CASE WHEN 'STATUS' = ANY(merchant_edited_fields) THEN status ELSE :productStatus END,
				    tags = CASE WHEN 'TAGS' = ANY(merchant_edited_fields) THEN tags ELSE :tags END,
				    -- Shopify's new handle, unless the merchant chose one or another product of the shop has it.
				    handle = CASE WHEN 'HANDLE' = ANY(merchant_edited_fields) OR EXISTS (
				                 SELECT 1 FROM catalog.products other
				                 WHERE other.shop_id = :shop AND other.handle = :productHandle AND other.id <> :productId)
				             THEN handle ELSE :productHandle END,
				    version = version + 1, updated_at = now()
				WHERE shop_id = :shop AND id = :productId""")
				.paramSource(mirrorValues(shop, data)
						.addValue("productStatus", ProductStatus.fromShopify(data.status()).name())
						.addValue("productTitle", productTitle(data))
						.addValue("productHandle", productHandle(data))
						.addValue("productId", stored.productId()))
				.update();
		replaceVariants(shop, stored.productId(), stored.id(), data);
		return new ShopifyProductSync(Outcome.UPDATED, stored.productId());
	}

	@Transactional
	ShopifyProductSync markDeleted(ShopId shop, long shopifyId, Instant deletedAt) {
		Optional<Long> productId = jdbc.sql("""
				UPDATE catalog.shopify_products SET deleted_at = :deletedAt, updated_at = now()
				WHERE shop_id = :shop AND shopify_id = :shopifyId AND deleted_at IS NULL
				RETURNING coalesce(product_id, 0)""")
				.param("shop", shop.value()).param("shopifyId", shopifyId)
				.param("deletedAt", ProductRows.timestamptz(deletedAt))
				.query(Long.class).optional();
		if (productId.isEmpty()) {
			return new ShopifyProductSync(Outcome.STALE, 0);
		}
		// Archived, not deleted: the merchant's data and any bundle naming the product stay intact.
		jdbc.sql("""
				UPDATE catalog.products SET status = 'ARCHIVED', version = version + 1, updated_at = now()
				WHERE shop_id = :shop AND id = :productId""")
				.param("shop", shop.value()).param("productId", productId.get())
				.update();
		return new ShopifyProductSync(Outcome.DELETED, productId.get());
	}

	/** @param productId the id the product must take (a legacy mirror's), or null for a fresh one */
	private long createProduct(ShopId shop, long mirrorId, Long productId, ShopifyProductData data,
			Map<ProductField, String> edits) {
		Set<ProductField> edited = edits.isEmpty() ? Set.of() : EnumSet.copyOf(edits.keySet());
		var product = new ProductWrites.NewProduct(productId, ProductKind.SHOPIFY,
				edits.getOrDefault(ProductField.TITLE, productTitle(data)),
				edits.getOrDefault(ProductField.DESCRIPTION_HTML, nullToEmpty(data.bodyHtml())),
				nullToEmpty(data.vendor()), nullToEmpty(data.productType()), ProductStatus.fromShopify(data.status()),
				data.tags(), edited);
		long created = writes.insertProduct(shop, product, productHandle(data), false).orElseThrow();
		jdbc.sql("UPDATE catalog.shopify_products SET product_id = :productId WHERE shop_id = :shop AND id = :mirrorId")
				.param("shop", shop.value()).param("productId", created).param("mirrorId", mirrorId)
				.update();
		replaceVariants(shop, created, mirrorId, data);
		return created;
	}

	private Map<ProductField, String> personalization(ShopId shop, long mirrorId) {
		return jdbc.sql("""
				SELECT customizations ->> 'title' AS title, customizations ->> 'description' AS description
				FROM catalog.personalizations WHERE shop_id = :shop AND shopify_product_id = :mirrorId""")
				.param("shop", shop.value()).param("mirrorId", mirrorId)
				.query((row, n) -> {
					Map<ProductField, String> edits = new EnumMap<>(ProductField.class);
					if (row.getString("title") != null) {
						edits.put(ProductField.TITLE, row.getString("title"));
					}
					if (row.getString("description") != null) {
						edits.put(ProductField.DESCRIPTION_HTML, row.getString("description"));
					}
					return edits;
				})
				.optional().orElse(Map.of());
	}

	/** Shopify's variant list is the truth: upsert what it sends, delete (explicitly) what it no longer has. */
	private void replaceVariants(ShopId shop, long productId, long mirrorId, ShopifyProductData data) {
		List<ShopifyProductData.Variant> variants = data.variants();
		// A legacy mirror's variants (product_id still NULL) are the product's too: one Shopify no longer has must go
		// now, or the backfill would later attach it to the product.
		jdbc.sql("""
				DELETE FROM catalog.product_variants
				WHERE shop_id = :shop AND (product_id = :product OR (product_id IS NULL AND shopify_product_id = :mirror))
				  AND shopify_variant_id <> ALL(:keep::bigint[])""")
				.param("shop", shop.value()).param("product", productId).param("mirror", mirrorId)
				.param("keep", variants.stream().map(ShopifyProductData.Variant::shopifyVariantId).toArray(Long[]::new))
				.update();
		writes.insertVariants(shop, productId, mirrorId, writes.currencyOf(shop), variants.stream()
				.map(v -> new ProductWrites.NewVariant(v.shopifyVariantId(), v.title(), v.sku(), v.price(),
						v.compareAtPrice(), v.inventoryQuantity(), v.position()))
				.toList());
	}

	private static MapSqlParameterSource mirrorValues(ShopId shop, ShopifyProductData data) {
		return new MapSqlParameterSource()
				.addValue("shop", shop.value())
				.addValue("shopifyId", data.shopifyId())
				.addValue("title", data.title())
				.addValue("bodyHtml", nullToEmpty(data.bodyHtml()))
				.addValue("vendor", nullToEmpty(data.vendor()))
				.addValue("productType", nullToEmpty(data.productType()))
				.addValue("handle", data.handle() == null ? "" : data.handle())
				.addValue("status", data.status())
				.addValue("tags", data.tags().toArray(String[]::new))
				.addValue("updatedAt", ProductRows.timestamptz(data.updatedAt()))
				.addValue("raw", data.rawJson() == null ? "{}" : data.rawJson());
	}

	/**
	 * Shopify's title as a product title: the mirror keeps whatever Shopify sent, but a product's title is 1 to 255
	 * characters, and a delivery must not fail forever (and be retried forever) over a title Shopify accepted.
	 */
	private static String productTitle(ShopifyProductData data) {
		String title = data.title() == null || data.title().isBlank() ? "Untitled product" : data.title().strip();
		return title.length() > 255 ? title.substring(0, 255) : title;
	}

	/** Shopify's handle as a product handle (lower case, no white space, 1 to 255 characters). */
	private static String productHandle(ShopifyProductData data) {
		String handle = data.handle() == null ? "" : data.handle().strip().toLowerCase(Locale.ROOT)
				.replaceAll("\\s+", "-");
		if (handle.isEmpty()) {
			return ProductWrites.handleFrom(productTitle(data));
		}
		return handle.length() > 255 ? handle.substring(0, 255) : handle;
	}

	private static String nullToEmpty(String value) {
		return value == null ? "" : value;
	}

	private record StoredMirror(long id, Long productId, Instant shopifyUpdatedAt, Instant deletedAt) {
	}
}
