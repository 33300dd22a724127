package dev.shelf.catalog.internal;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dev.shelf.catalog.Money;
import dev.shelf.catalog.Product;
import dev.shelf.catalog.ProductField;
import dev.shelf.catalog.ProductKind;
import dev.shelf.catalog.ProductStatus;
import dev.shelf.catalog.ProductVariant;
import dev.shelf.catalog.ShopId;
import dev.shelf.catalog.ShopifyProduct;

/** The catalog's column lists and row mappers, so every query reads a row the same way. */
final class ProductRows {

	static final String PRODUCT_COLUMNS = "p.id, p.shop_id, p.kind, p.title, p.description_html, p.handle, p.vendor, "
			+ "p.product_type, p.status, p.tags, p.merchant_edited_fields, p.created_at, p.updated_at, p.version";

	static final String VARIANT_COLUMNS = "v.id, v.product_id, v.title, v.sku, v.price, v.currency_code, "
			+ "v.compare_at_price, v.inventory_quantity, v.position, v.shopify_variant_id";

	static final String MIRROR_COLUMNS = "m.id, m.shopify_id, m.product_id, m.title, m.body_html, m.handle, m.vendor, "
			+ "m.product_type, m.tags, m.shopify_updated_at, m.deleted_at";

	private ProductRows() {
	}

	static Product product(ResultSet row, int rowNumber) throws SQLException {
		Set<ProductField> edited = EnumSet.noneOf(ProductField.class);
		for (String field : strings(row.getArray("merchant_edited_fields"))) {
			edited.add(ProductField.valueOf(field));
		}
		return new Product(row.getLong("id"), new ShopId(row.getLong("shop_id")), ProductKind.valueOf(row.getString("kind")),
				row.getString("title"), row.getString("description_html"), row.getString("handle"),
				row.getString("vendor"), row.getString("product_type"), ProductStatus.valueOf(row.getString("status")),
				strings(row.getArray("tags")), edited, instant(row, "created_at"), instant(row, "updated_at"),
				row.getLong("version"));
	}

	static ProductVariant variant(ResultSet row, int rowNumber) throws SQLException {
		String currency = row.getString("currency_code");
		var compareAt = row.getBigDecimal("compare_at_price");
		return new ProductVariant(row.getLong("id"), row.getLong("product_id"), row.getString("title"),
				row.getString("sku"), new Money(row.getBigDecimal("price"), currency),
				compareAt == null ? null : new Money(compareAt, currency), row.getInt("inventory_quantity"),
				row.getInt("position"), nullableLong(row, "shopify_variant_id"));
	}

	static ShopifyProduct mirror(ResultSet row, int rowNumber) throws SQLException {
		return new ShopifyProduct(row.getLong("id"), row.getLong("shopify_id"), row.getLong("product_id"),
				row.getString("title"), row.getString("body_html"), row.getString("handle"), row.getString("vendor"),
				row.getString("product_type"), strings(row.getArray("tags")), instant(row, "shopify_updated_at"),
				instant(row, "deleted_at"));
	}

	static Instant instant(ResultSet row, String column) throws SQLException {
		OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
		return value == null ? null : value.toInstant();
	}

	/** pgjdbc binds OffsetDateTime as timestamptz; Instant it does not know. */
	static OffsetDateTime timestamptz(Instant instant) {
		return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
	}

	static List<String> strings(Array array) throws SQLException {
		return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
	}

	private static Long nullableLong(ResultSet row, String column) throws SQLException {
		long value = row.getLong(column);
		return row.wasNull() ? null : value;
	}
}
