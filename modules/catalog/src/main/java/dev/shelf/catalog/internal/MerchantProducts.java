package dev.shelf.catalog.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import dev.shelf.catalog.Product;
import dev.shelf.catalog.ProductChange;
import dev.shelf.catalog.ProductField;
import dev.shelf.catalog.ProductInput;
import dev.shelf.catalog.ProductKind;
import dev.shelf.catalog.ProductPageRequest;
import dev.shelf.catalog.ProductStatus;
import dev.shelf.catalog.ProductUserError;
import dev.shelf.catalog.ProductUserError.Code;
import dev.shelf.catalog.ShopId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * What merchants do to products through the API. Bad input is answered with user errors and changes nothing;
 * every change locks the product row and checks the version the merchant saw, so concurrent edits are refused
 * ({@code CONFLICT}) rather than lost.
 */
@Component
class MerchantProducts {

	private static final Logger log = LoggerFactory.getLogger(MerchantProducts.class);
	private static final Pattern HANDLE = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
	private static final int MAX_TEXT = 255;
	private static final int MAX_DESCRIPTION = 100_000;
	private static final int MAX_TAGS = 250;
	private static final int MAX_BUNDLE_COMPONENTS = 100;
	private static final BigDecimal MAX_PRICE = new BigDecimal("999999999999999.9999"); // numeric(19,4)

	private final JdbcClient jdbc;
	private final ProductWrites writes;
	private final ProductQueries queries;

	MerchantProducts(JdbcClient jdbc, ProductWrites writes, ProductQueries queries) {
		this.jdbc = jdbc;
		this.writes = writes;
		this.queries = queries;
	}

	@Transactional
	ProductChange create(ShopId shop, ProductInput input) {
		List<ProductUserError> errors = validate(shop, input, null);
		if (input.title() == null || input.title().isBlank()) {
			errors.add(0, ProductUserError.of(Code.BLANK, "Title can't be blank", "input", "title"));
		}
		if (!errors.isEmpty()) {
			return new ProductChange(null, errors);
		}
		var product = new ProductWrites.NewProduct(null, ProductKind.CUSTOM, input.title().strip(),
				orEmpty(input.descriptionHtml()), orEmpty(input.vendor()), orEmpty(input.productType()),
				input.status() != null ? input.status() : ProductStatus.ACTIVE,
				input.tags() != null ? input.tags() : List.of(), Set.of());
		boolean explicitHandle = input.handle() != null;
		Optional<Long> id = writes.insertProduct(shop, product,
				explicitHandle ? input.handle() : ProductWrites.handleFrom(input.title()), explicitHandle);
		if (id.isEmpty()) {
			return ProductChange.refused(handleTaken(input.handle()));
		}
		if (input.variants() != null) {
			writes.insertVariants(shop, id.get(), null, writes.currencyOf(shop), variants(input));
		}
		if (input.bundleComponents() != null) {
			writeBundle(shop, id.get(), product.title(), input.bundleComponents());
		}
		return ProductChange.done(queries.findProduct(shop, id.get()).orElseThrow());
	}

	@Transactional
	ProductChange update(ShopId shop, long productId, ProductInput input, Long expectedVersion) {
		Optional<Product> locked = lock(shop, productId);
		if (locked.isEmpty()) {
			return ProductChange.refused(notFound());
		}
		Product current = locked.get();
		if (expectedVersion != null && expectedVersion != current.version()) {
			return ProductChange.refused(ProductUserError.of(Code.CONFLICT, "The product changed since version "
					+ expectedVersion + " (it is at " + current.version() + "); read it again and retry", "version"));
		}
		List<ProductUserError> errors = validate(shop, input, current);
		if (input.title() != null && input.title().isBlank()) {
			errors.add(0, ProductUserError.of(Code.BLANK, "Title can't be blank", "input", "title"));
		}
		if (current.kind() == ProductKind.SHOPIFY) {
			if (input.variants() != null) {
				errors.add(ProductUserError.of(Code.SHOPIFY_PRODUCT_NOT_EDITABLE_THIS_WAY,
						"A Shopify product's variants come from Shopify", "input", "variants"));
			}
			if (input.bundleComponents() != null) {
				errors.add(ProductUserError.of(Code.SHOPIFY_PRODUCT_NOT_EDITABLE_THIS_WAY,
						"Only a custom product can be a bundle", "input", "bundleComponents"));
			}
		}
		if (!errors.isEmpty()) {
			return new ProductChange(null, errors);
		}

		Map<ProductField, Object> changes = changes(input, current);
		if (!changes.isEmpty()) {
			Set<ProductField> edited = EnumSet.noneOf(ProductField.class);
			edited.addAll(current.merchantEditedFields());
			if (current.kind() == ProductKind.SHOPIFY) {
				edited.addAll(changes.keySet());
			}
			write(shop, productId, changes, edited);
		}
		if (input.variants() != null) {
			writes.deleteVariants(shop, productId);
			writes.insertVariants(shop, productId, null, writes.currencyOf(shop), variants(input));
		}
		if (input.bundleComponents() != null) {
			writeBundle(shop, productId, (String) changes.getOrDefault(ProductField.TITLE, current.title()),
					input.bundleComponents());
		}
		if (changes.isEmpty() && (input.variants() != null || input.bundleComponents() != null)) {
			touch(shop, productId);
		}
		return ProductChange.done(queries.findProduct(shop, productId).orElseThrow());
	}

	@Transactional
	ProductChange delete(ShopId shop, long productId) {
		Optional<Product> locked = lock(shop, productId);
		if (locked.isEmpty()) {
			return ProductChange.refused(notFound());
		}
		if (locked.get().kind() == ProductKind.SHOPIFY) {
			return ProductChange.refused(ProductUserError.of(Code.SHOPIFY_PRODUCT_NOT_EDITABLE_THIS_WAY,
					"A Shopify product is deleted in Shopify; in Shelf it can be archived", "id"));
		}
		if (usedInABundle(shop, productId)) {
			return ProductChange.refused(ProductUserError.of(Code.IN_USE,
					"The product is a component of a bundle; remove it from the bundle first", "id"));
		}
		int variants = writes.deleteVariants(shop, productId);
		jdbc.sql("DELETE FROM catalog.bundles WHERE shop_id = :shop AND product_id = :id")
				.param("shop", shop.value()).param("id", productId).update();
		jdbc.sql("DELETE FROM catalog.products WHERE shop_id = :shop AND id = :id")
				.param("shop", shop.value()).param("id", productId).update();
		log.info("Deleted custom product {} of shop {} with its {} variant(s)", productId, shop, variants);
		return ProductChange.done(locked.get());
	}

	@Transactional
	ProductChange changeStatus(ShopId shop, long productId, ProductStatus status) {
		Optional<Product> locked = lock(shop, productId);
		if (locked.isEmpty()) {
			return ProductChange.refused(notFound());
		}
		Set<ProductField> edited = EnumSet.noneOf(ProductField.class);
		edited.addAll(locked.get().merchantEditedFields());
		if (locked.get().kind() == ProductKind.SHOPIFY) {
			edited.add(ProductField.STATUS);
		}
		write(shop, productId, Map.of(ProductField.STATUS, status.name()), edited);
		return ProductChange.done(queries.findProduct(shop, productId).orElseThrow());
	}

	private Optional<Product> lock(ShopId shop, long productId) {
		return jdbc.sql("SELECT " + ProductRows.PRODUCT_COLUMNS
				+ " FROM catalog.products p WHERE p.shop_id = :shop AND p.id = :id FOR UPDATE")
				.param("shop", shop.value()).param("id", productId)
				.query(ProductRows::product).optional();
	}

	private void write(ShopId shop, long productId, Map<ProductField, Object> changes, Set<ProductField> edited) {
		var sql = new StringBuilder("UPDATE catalog.products SET version = version + 1, updated_at = now(), "
				+ "merchant_edited_fields = :edited");
		var params = new LinkedHashMap<String, Object>();
		changes.forEach((field, value) -> {
			sql.append(", ").append(column(field)).append(" = :").append(field.name());
			params.put(field.name(), value instanceof List<?> list ? list.toArray(String[]::new) : value);
		});
		sql.append(" WHERE shop_id = :shop AND id = :id");
		params.put("edited", edited.stream().map(Enum::name).sorted().toArray(String[]::new));
		params.put("shop", shop.value());
		params.put("id", productId);
		jdbc.sql(sql.toString()).params(params).update();
	}

	private void touch(ShopId shop, long productId) {
		jdbc.sql("UPDATE catalog.products SET version = version + 1, updated_at = now() WHERE shop_id = :shop AND id = :id")
				.param("shop", shop.value()).param("id", productId).update();
	}

	private static String column(ProductField field) {
		return switch (field) {
			case TITLE -> "title";
			case DESCRIPTION_HTML -> "description_html";
			case VENDOR -> "vendor";
			case PRODUCT_TYPE -> "product_type";
			case STATUS -> "status";
			case TAGS -> "tags";
			case HANDLE -> "handle";
		};
	}

	private static Map<ProductField, Object> changes(ProductInput input, Product current) {
		Map<ProductField, Object> changes = new LinkedHashMap<>();
		putIfChanged(changes, ProductField.TITLE, input.title() == null ? null : input.title().strip(), current.title());
		putIfChanged(changes, ProductField.DESCRIPTION_HTML, input.descriptionHtml(), current.descriptionHtml());
		putIfChanged(changes, ProductField.VENDOR, input.vendor(), current.vendor());
		putIfChanged(changes, ProductField.PRODUCT_TYPE, input.productType(), current.productType());
		putIfChanged(changes, ProductField.STATUS, input.status() == null ? null : input.status().name(),
				current.status().name());
		putIfChanged(changes, ProductField.TAGS, input.tags(), current.tags());
		putIfChanged(changes, ProductField.HANDLE, input.handle(), current.handle());
		return changes;
	}

	private static void putIfChanged(Map<ProductField, Object> changes, ProductField field, Object given, Object current) {
		if (given != null && !given.equals(current)) {
			changes.put(field, given);
		}
	}

	/** Every problem with the input at once, so the merchant can fix them in one go. */
	private List<ProductUserError> validate(ShopId shop, ProductInput input, Product current) {
		List<ProductUserError> errors = new ArrayList<>();
		tooLong(errors, input.title(), MAX_TEXT, "title");
		tooLong(errors, input.descriptionHtml(), MAX_DESCRIPTION, "descriptionHtml");
		tooLong(errors, input.vendor(), MAX_TEXT, "vendor");
		tooLong(errors, input.productType(), MAX_TEXT, "productType");
		if (input.handle() != null) {
			if (input.handle().length() > MAX_TEXT || !HANDLE.matcher(input.handle()).matches()) {
				errors.add(ProductUserError.of(Code.INVALID,
						"Handle must be lower-case letters and digits separated by single hyphens, at most 255", "input",
						"handle"));
			}
			else if (current != null && !input.handle().equals(current.handle())
					&& writes.handleTaken(shop, input.handle(), current.id())) {
				errors.add(handleTaken(input.handle()));
			}
		}
		if (input.tags() != null) {
			if (input.tags().size() > MAX_TAGS) {
				errors.add(ProductUserError.of(Code.INVALID, "At most " + MAX_TAGS + " tags", "input", "tags"));
			}
			for (int i = 0; i < input.tags().size(); i++) {
				String tag = input.tags().get(i);
				if (tag.isBlank() || tag.length() > MAX_TEXT) {
					errors.add(ProductUserError.of(Code.INVALID, "A tag is 1 to 255 characters", "input", "tags",
							Integer.toString(i)));
				}
			}
		}
		if (input.variants() != null) {
			validateVariants(errors, input.variants());
		}
		if (input.bundleComponents() != null) {
			validateBundle(errors, shop, input.bundleComponents(), current == null ? 0 : current.id());
		}
		return errors;
	}

	private static void validateVariants(List<ProductUserError> errors, List<ProductInput.VariantInput> variants) {
		if (variants.size() > ProductPageRequest.MAX_SIZE) {
			errors.add(ProductUserError.of(Code.INVALID, "At most " + ProductPageRequest.MAX_SIZE + " variants", "input",
					"variants"));
		}
		for (int i = 0; i < variants.size(); i++) {
			var variant = variants.get(i);
			String index = Integer.toString(i);
			if (!validPrice(variant.price())) {
				errors.add(ProductUserError.of(Code.INVALID, "Price must be between 0 and " + MAX_PRICE
						+ " with at most 4 decimals", "input", "variants", index, "price"));
			}
			if (variant.compareAtPrice() != null && !validPrice(variant.compareAtPrice())) {
				errors.add(ProductUserError.of(Code.INVALID, "Compare-at price must be between 0 and " + MAX_PRICE
						+ " with at most 4 decimals", "input", "variants", index, "compareAtPrice"));
			}
			if (variant.title() != null && (variant.title().isBlank() || variant.title().length() > MAX_TEXT)) {
				errors.add(ProductUserError.of(Code.INVALID, "A variant title is 1 to 255 characters", "input",
						"variants", index, "title"));
			}
		}
	}

	private static boolean validPrice(BigDecimal price) {
		return price != null && price.signum() >= 0 && price.compareTo(MAX_PRICE) <= 0
				&& price.stripTrailingZeros().scale() <= 4;
	}

	private void validateBundle(List<ProductUserError> errors, ShopId shop,
			List<ProductInput.BundleComponentInput> components, long bundleId) {
		if (components.size() > MAX_BUNDLE_COMPONENTS) {
			errors.add(ProductUserError.of(Code.INVALID, "At most " + MAX_BUNDLE_COMPONENTS + " components", "input",
					"bundleComponents"));
			return;
		}
		// Locked (KEY SHARE, which Shopify's updates do not wait for) until the bundle commits: a concurrent delete of
		// a component then either waits and finds the bundle (IN_USE), or committed first and the component is gone
		// (NOT_FOUND). A plain read would let both commit and leave the bundle naming a deleted product.
		Set<Long> existing = new HashSet<>(jdbc.sql("""
				SELECT id FROM catalog.products WHERE shop_id = :shop AND id = ANY(:ids) ORDER BY id FOR KEY SHARE""")
				.param("shop", shop.value())
				.param("ids", components.stream().map(ProductInput.BundleComponentInput::productId).distinct()
						.toArray(Long[]::new))
				.query(Long.class).list());
		Set<Long> seen = new HashSet<>();
		for (int i = 0; i < components.size(); i++) {
			var component = components.get(i);
			String index = Integer.toString(i);
			if (component.quantity() < 1) {
				errors.add(ProductUserError.of(Code.INVALID, "Quantity is at least 1", "input", "bundleComponents",
						index, "quantity"));
			}
			if (component.productId() == bundleId) {
				errors.add(ProductUserError.of(Code.INVALID, "A bundle cannot contain itself", "input",
						"bundleComponents", index, "productId"));
			}
			else if (!existing.contains(component.productId())) {
				errors.add(ProductUserError.of(Code.NOT_FOUND, "No such product in the shop", "input",
						"bundleComponents", index, "productId"));
			}
			else if (!seen.add(component.productId())) {
				errors.add(ProductUserError.of(Code.INVALID, "The product is listed twice; set its quantity instead",
						"input", "bundleComponents", index, "productId"));
			}
		}
	}

	private void writeBundle(ShopId shop, long productId, String title, List<ProductInput.BundleComponentInput> components) {
		if (components.isEmpty()) {
			jdbc.sql("DELETE FROM catalog.bundles WHERE shop_id = :shop AND product_id = :id")
					.param("shop", shop.value()).param("id", productId).update();
			return;
		}
		jdbc.sql("""
				INSERT INTO catalog.bundles (shop_id, product_id, title, components)
				SELECT :shop, :id, :title, jsonb_agg(jsonb_build_object('product_id', c.product_id, 'quantity', c.quantity)
				                                      ORDER BY c.position)
				FROM unnest(:productIds::bigint[], :quantities::int[]) WITH ORDINALITY AS c(product_id, quantity, position)
				ON CONFLICT (shop_id, product_id) DO UPDATE SET components = EXCLUDED.components, title = EXCLUDED.title,
				    updated_at = now()""")
				.param("shop", shop.value()).param("id", productId).param("title", title)
				.param("productIds", components.stream().map(ProductInput.BundleComponentInput::productId).toArray(Long[]::new))
				.param("quantities", components.stream().map(ProductInput.BundleComponentInput::quantity).toArray(Integer[]::new))
				.update();
	}

	private boolean usedInABundle(ShopId shop, long productId) {
		return jdbc.sql("""
				SELECT EXISTS (SELECT 1 FROM catalog.bundles WHERE shop_id = :shop AND product_id IS DISTINCT FROM :id
				               AND components @> jsonb_build_array(jsonb_build_object('product_id', :id::bigint)))""")
				.param("shop", shop.value()).param("id", productId)
				.query(Boolean.class).single();
	}

	private static List<ProductWrites.NewVariant> variants(ProductInput input) {
		List<ProductWrites.NewVariant> variants = new ArrayList<>();
		for (int i = 0; i < input.variants().size(); i++) {
			var variant = input.variants().get(i);
			variants.add(new ProductWrites.NewVariant(null, variant.title() != null ? variant.title() : "Default",
					variant.sku(), variant.price(), variant.compareAtPrice(),
					variant.inventoryQuantity() != null ? variant.inventoryQuantity() : 0, i + 1));
		}
		return variants;
	}

	private static void tooLong(List<ProductUserError> errors, String value, int max, String field) {
		if (value != null && value.length() > max) {
			errors.add(ProductUserError.of(Code.TOO_LONG, "At most " + max + " characters", "input", field));
		}
	}

	private static ProductUserError handleTaken(String handle) {
		return ProductUserError.of(Code.TAKEN, "Handle '" + handle + "' is already used by another product", "input",
				"handle");
	}

	private static ProductUserError notFound() {
		return ProductUserError.of(Code.NOT_FOUND, "No such product in the shop", "id");
	}

	private static String orEmpty(String value) {
		return value == null ? "" : value;
	}
}
