package dev.shelf.catalog.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.shelf.catalog.BundleComponent;
import dev.shelf.catalog.Product;
import dev.shelf.catalog.ProductFilter;
import dev.shelf.catalog.ProductPage;
import dev.shelf.catalog.ProductPageRequest;
import dev.shelf.catalog.ProductPosition;
import dev.shelf.catalog.ProductSortKey;
import dev.shelf.catalog.ProductVariant;
import dev.shelf.catalog.ShopId;
import dev.shelf.catalog.ShopifyProduct;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import static dev.shelf.catalog.internal.ProductRows.MIRROR_COLUMNS;
import static dev.shelf.catalog.internal.ProductRows.PRODUCT_COLUMNS;
import static dev.shelf.catalog.internal.ProductRows.VARIANT_COLUMNS;

/**
 * The catalog's reads. Every statement filters by {@code shop_id} first, matching the leading column of every
 * index, and lists page by keyset — {@code (sort value, id) > cursor} on the index of that sort key — never by
 * OFFSET, so a page deep in a million products costs what the first one costs.
 */
@Component
class ProductQueries {

	private final JdbcClient jdbc;

	ProductQueries(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Optional<Product> findProduct(ShopId shop, long productId) {
		return jdbc.sql("SELECT " + PRODUCT_COLUMNS + " FROM catalog.products p WHERE p.shop_id = :shop AND p.id = :id")
				.param("shop", shop.value()).param("id", productId)
				.query(ProductRows::product).optional();
	}

	Map<Long, Product> findProducts(ShopId shop, Collection<Long> productIds) {
		if (productIds.isEmpty()) {
			return Map.of();
		}
		Map<Long, Product> found = new LinkedHashMap<>();
		jdbc.sql("SELECT " + PRODUCT_COLUMNS + " FROM catalog.products p WHERE p.shop_id = :shop AND p.id = ANY(:ids)")
				.param("shop", shop.value()).param("ids", productIds.toArray(Long[]::new))
				.query(ProductRows::product).list()
				.forEach(product -> found.put(product.id(), product));
		return found;
	}

	ProductPage listProducts(ShopId shop, ProductPageRequest page) {
		if (page.size() == 0) {
			return new ProductPage(List.of(), false, false);
		}
		Keyset keyset = Keyset.of(page.sortKey(), page.reverse());
		var sql = new StringBuilder("SELECT " + PRODUCT_COLUMNS + " FROM catalog.products p");
		var params = new LinkedHashMap<String, Object>();
		appendListConditions(sql, params, shop, keyset, page.filter());
		appendBound(sql, params, keyset, page.after(), Comparison.AFTER, "after");
		appendBound(sql, params, keyset, page.before(), Comparison.BEFORE, "before");
		// A backward page is read from its end, then turned around.
		sql.append(" ORDER BY ").append(keyset.orderBy(!page.forward())).append(" LIMIT :limit");
		params.put("limit", page.size() + 1);

		List<Product> rows = new ArrayList<>(jdbc.sql(sql.toString()).params(params).query(ProductRows::product).list());
		boolean more = rows.size() > page.size();
		if (more) {
			rows.remove(rows.size() - 1);
		}
		if (!page.forward()) {
			Collections.reverse(rows);
		}
		boolean hasPrevious = page.forward() ? page.after() != null && exists(shop, page, keyset, page.after(), Comparison.AT_OR_BEFORE) : more;
		boolean hasNext = page.forward() ? more : page.before() != null && exists(shop, page, keyset, page.before(), Comparison.AT_OR_AFTER);
		return new ProductPage(rows, hasPrevious, hasNext);
	}

	/**
	 * Whether the list has a row on the far side of a cursor: one index probe, read from the cursor outward in the
	 * order of the list's index. Not {@code EXISTS (…)}: PostgreSQL drops an ORDER BY inside EXISTS and, betting on
	 * meeting a matching row early, plans a sequential scan for a big shop — which reads every shop's products when
	 * this shop's rows sit at the end of the table or none matches (CatalogQueryPlanTests).
	 */
	private boolean exists(ShopId shop, ProductPageRequest page, Keyset keyset, ProductPosition cursor,
			Comparison comparison) {
		var sql = new StringBuilder("SELECT 1 FROM catalog.products p");
		var params = new LinkedHashMap<String, Object>();
		appendListConditions(sql, params, shop, keyset, page.filter());
		appendBound(sql, params, keyset, cursor, comparison, "cursor");
		sql.append(" ORDER BY ").append(keyset.orderBy(comparison == Comparison.AT_OR_BEFORE)).append(" LIMIT 1");
		return !jdbc.sql(sql.toString()).params(params).query(Integer.class).list().isEmpty();
	}

	/** The WHERE clause of every statement over one shop's list: the page and the probes beside it alike. */
	private static void appendListConditions(StringBuilder sql, Map<String, Object> params, ShopId shop, Keyset keyset,
			ProductFilter filter) {
		sql.append(" WHERE p.shop_id = :shop");
		params.put("shop", shop.value());
		if (keyset.column() == null) {
			// Sorted by id, PostgreSQL may walk the primary key over every shop's rows, filtering, until it has this
			// shop's page (measured: 29 ms of database CPU for a late shop's first page among 1M products). Bounding
			// the walk to the shop's own id range, two probes of (shop_id, id), keeps it on this shop's rows.
			sql.append(" AND p.id BETWEEN (SELECT min(id) FROM catalog.products WHERE shop_id = :shop)"
					+ " AND (SELECT max(id) FROM catalog.products WHERE shop_id = :shop)");
		}
		appendFilter(sql, params, filter);
	}

	private static void appendFilter(StringBuilder sql, Map<String, Object> params, ProductFilter filter) {
		if (filter.status() != null) {
			sql.append(" AND p.status = :status");
			params.put("status", filter.status().name());
		}
		if (filter.kind() != null) {
			sql.append(" AND p.kind = :kind");
			params.put("kind", filter.kind().name());
		}
		for (int i = 0; i < filter.titleWords().size(); i++) {
			sql.append(" AND p.title ILIKE :word").append(i);
			params.put("word" + i, "%" + escapeLike(filter.titleWords().get(i)) + "%");
		}
	}

	private static void appendBound(StringBuilder sql, Map<String, Object> params, Keyset keyset, ProductPosition bound,
			Comparison comparison, String name) {
		if (bound == null) {
			return;
		}
		String operator = keyset.operator(comparison);
		if (keyset.column() == null) {
			sql.append(" AND p.id ").append(operator).append(" :").append(name).append("Id");
		}
		else {
			sql.append(" AND (p.").append(keyset.column()).append(", p.id) ").append(operator)
					.append(" (:").append(name).append("Value, :").append(name).append("Id)");
			params.put(name + "Value", switch (keyset.sortKey()) {
				case TITLE -> bound.title();
				case UPDATED_AT -> ProductRows.timestamptz(bound.updatedAt());
				case ID -> throw new IllegalStateException("ID has no separate sort column");
			});
		}
		params.put(name + "Id", bound.id());
	}

	private static String escapeLike(String word) {
		return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
	}

	private enum Comparison {
		AFTER, BEFORE, AT_OR_BEFORE, AT_OR_AFTER
	}

	/** The sort column of a sort key (null for ID, which sorts by the id alone) and the list's direction. */
	private record Keyset(ProductSortKey sortKey, String column, boolean descending) {

		static Keyset of(ProductSortKey sortKey, boolean reverse) {
			String column = switch (sortKey) {
				case ID -> null;
				case TITLE -> "title";
				case UPDATED_AT -> "updated_at";
			};
			return new Keyset(sortKey, column, reverse);
		}

		/** SQL comparison for "comes after/before in list order". */
		String operator(Comparison comparison) {
			return switch (comparison) {
				case AFTER -> descending ? "<" : ">";
				case BEFORE -> descending ? ">" : "<";
				case AT_OR_BEFORE -> descending ? ">=" : "<=";
				case AT_OR_AFTER -> descending ? "<=" : ">=";
			};
		}

		String orderBy(boolean againstListOrder) {
			String direction = descending != againstListOrder ? " DESC" : " ASC";
			return column == null ? "p.id" + direction : "p." + column + direction + ", p.id" + direction;
		}
	}

	Map<Long, List<ProductVariant>> variantsOf(ShopId shop, Collection<Long> productIds) {
		Map<Long, List<ProductVariant>> variants = new LinkedHashMap<>();
		if (productIds.isEmpty()) {
			return variants;
		}
		jdbc.sql("""
				SELECT %s FROM (
				    SELECT v.*, row_number() OVER (PARTITION BY v.product_id ORDER BY v.position, v.id) AS rank
				    FROM catalog.product_variants v WHERE v.shop_id = :shop AND v.product_id = ANY(:ids)) v
				WHERE v.rank <= :max ORDER BY v.product_id, v.position, v.id""".formatted(VARIANT_COLUMNS))
				.param("shop", shop.value()).param("ids", productIds.toArray(Long[]::new))
				.param("max", ProductPageRequest.MAX_SIZE)
				.query(ProductRows::variant).list()
				.forEach(variant -> variants.computeIfAbsent(variant.productId(), id -> new ArrayList<>()).add(variant));
		return variants;
	}

	Optional<ProductVariant> findVariant(ShopId shop, long variantId) {
		return jdbc.sql("SELECT " + VARIANT_COLUMNS + " FROM catalog.product_variants v "
				+ "WHERE v.shop_id = :shop AND v.id = :id AND v.product_id IS NOT NULL")
				.param("shop", shop.value()).param("id", variantId)
				.query(ProductRows::variant).optional();
	}

	Map<Long, ShopifyProduct> shopifyProductsOf(ShopId shop, Collection<Long> productIds) {
		Map<Long, ShopifyProduct> mirrors = new LinkedHashMap<>();
		if (productIds.isEmpty()) {
			return mirrors;
		}
		jdbc.sql("SELECT " + MIRROR_COLUMNS + " FROM catalog.shopify_products m "
				+ "WHERE m.shop_id = :shop AND m.product_id = ANY(:ids)")
				.param("shop", shop.value()).param("ids", productIds.toArray(Long[]::new))
				.query(ProductRows::mirror).list()
				.forEach(mirror -> mirrors.put(mirror.productId(), mirror));
		return mirrors;
	}

	Optional<ShopifyProduct> findShopifyProduct(ShopId shop, long mirrorId) {
		return jdbc.sql("SELECT " + MIRROR_COLUMNS + " FROM catalog.shopify_products m "
				+ "WHERE m.shop_id = :shop AND m.id = :id AND m.product_id IS NOT NULL")
				.param("shop", shop.value()).param("id", mirrorId)
				.query(ProductRows::mirror).optional();
	}

	List<ShopifyProduct> listShopifyProducts(ShopId shop, long afterMirrorId, int size) {
		// Mirrors not yet joined to a product (legacy rows before the backfill) are not served: the API reads the
		// generic model.
		return jdbc.sql("SELECT " + MIRROR_COLUMNS + " FROM catalog.shopify_products m "
				+ "WHERE m.shop_id = :shop AND m.id > :after AND m.product_id IS NOT NULL ORDER BY m.id LIMIT :limit")
				.param("shop", shop.value()).param("after", afterMirrorId).param("limit", size + 1)
				.query(ProductRows::mirror).list();
	}

	Map<Long, List<BundleComponent>> bundleComponentsOf(ShopId shop, Collection<Long> productIds) {
		Map<Long, List<BundleComponent>> components = new LinkedHashMap<>();
		if (productIds.isEmpty()) {
			return components;
		}
		// A component is {"product_id": n} (current shape) or {"shopify_product_id": n} (legacy shape, resolved
		// through the mirror, one index probe per component rather than a join over all of a big shop's mirrors); a
		// legacy id Shelf never mirrored resolves to product 0, shown as a missing product.
		jdbc.sql("""
				SELECT b.product_id AS bundle_id,
				       coalesce((c.value ->> 'product_id')::bigint, m.product_id, 0) AS component_id,
				       (c.value ->> 'quantity')::int AS quantity
				FROM catalog.bundles b
				CROSS JOIN LATERAL jsonb_array_elements(b.components) WITH ORDINALITY AS c(value, position)
				LEFT JOIN LATERAL (SELECT mirror.product_id FROM catalog.shopify_products mirror
				                   WHERE mirror.shop_id = b.shop_id
				                     AND mirror.shopify_id = (c.value ->> 'shopify_product_id')::bigint
				                   LIMIT 1) m ON true
				WHERE b.shop_id = :shop AND b.product_id = ANY(:ids)
				ORDER BY b.product_id, c.position""")
				.param("shop", shop.value()).param("ids", productIds.toArray(Long[]::new))
				.query((row, n) -> Map.entry(row.getLong("bundle_id"),
						new BundleComponent(row.getLong("component_id"), row.getInt("quantity"))))
				.list()
				.forEach(entry -> components.computeIfAbsent(entry.getKey(), id -> new ArrayList<>()).add(entry.getValue()));
		return components;
	}
}
