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

	// The mappers read columns by position, in the order of the lists above, which every query selects first: looked
	// up by name, pgjdbc's column search was ~2 % of the CPU of a page of 50 products with their variants.

	static Product product(ResultSet row, int rowNumber) throws SQLException {
		Set<ProductField> edited = EnumSet.noneOf(ProductField.class);
		for (String field : strings(row.getArray(11))) {
			edited.add(ProductField.valueOf(field));
		}
		return new Product(row.getLong(1), new ShopId(row.getLong(2)), ProductKind.valueOf(row.getString(3)),
				row.getString(4), row.getString(5), row.getString(6), row.getString(7), row.getString(8),
				ProductStatus.valueOf(row.getString(9)), strings(row.getArray(10)), edited, instant(row, 12),
				instant(row, 13), row.getLong(14));
	}

	static ProductVariant variant(ResultSet row, int rowNumber) throws SQLException {
		String currency = row.getString(6);
		var compareAt = row.getBigDecimal(7);
		return new ProductVariant(row.getLong(1), row.getLong(2), row.getString(3), row.getString(4),
				new Money(row.getBigDecimal(5), currency), compareAt == null ? null : new Money(compareAt, currency),
				row.getInt(8), row.getInt(9), nullableLong(row, 10));
	}

	static ShopifyProduct mirror(ResultSet row, int rowNumber) throws SQLException {
		return new ShopifyProduct(row.getLong(1), row.getLong(2), row.getLong(3), row.getString(4), row.getString(5),
				row.getString(6), row.getString(7), row.getString(8), strings(row.getArray(9)), instant(row, 10),
				instant(row, 11));
	}

	static Instant instant(ResultSet row, int column) throws SQLException {
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

	private static Long nullableLong(ResultSet row, int column) throws SQLException {
		long value = row.getLong(column);
		return row.wasNull() ? null : value;
	}
}
