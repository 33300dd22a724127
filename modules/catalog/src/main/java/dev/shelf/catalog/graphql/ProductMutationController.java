package dev.shelf.catalog.graphql;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.shelf.catalog.Catalog;
import dev.shelf.catalog.GlobalId;
import dev.shelf.catalog.Product;
import dev.shelf.catalog.ProductChange;
import dev.shelf.catalog.ProductInput;
import dev.shelf.catalog.ProductStatus;
import dev.shelf.catalog.ProductUserError;
import dev.shelf.catalog.ProductUserError.Code;
import dev.shelf.catalog.ShopId;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.stereotype.Controller;

/**
 * Product mutations. Every refusal — malformed ids included — is a user error in the payload, never a GraphQL
 * error, and a mutation with user errors has changed nothing.
 */
@Controller
class ProductMutationController {

	private final Catalog catalog;

	ProductMutationController(Catalog catalog) {
		this.catalog = catalog;
	}

	/** {@code ProductCreatePayload}, {@code ProductUpdatePayload} and {@code ProductArchivePayload}. */
	record ProductPayload(Product product, List<ProductUserError> userErrors) {

		static ProductPayload of(ProductChange change) {
			return new ProductPayload(change.product(), change.userErrors());
		}
	}

	record ProductDeletePayload(String deletedProductId, List<ProductUserError> userErrors) {
	}

	/** {@code ProductInput} as the schema spells it: ids are global ids, to be checked before use. */
	record ProductInputArgument(String title, String descriptionHtml, String handle, String vendor, String productType,
			ProductStatus status, List<String> tags, List<VariantArgument> variants,
			List<BundleComponentArgument> bundleComponents) {
	}

	record VariantArgument(String title, String sku, BigDecimal price, BigDecimal compareAtPrice,
			Integer inventoryQuantity) {
	}

	record BundleComponentArgument(String productId, int quantity) {
	}

	@MutationMapping
	ProductPayload productCreate(@Argument ProductInputArgument input, ShopId shop) {
		List<ProductUserError> errors = new ArrayList<>();
		ProductInput productInput = toProductInput(input, errors);
		return errors.isEmpty() ? ProductPayload.of(catalog.createProduct(shop, productInput))
				: new ProductPayload(null, errors);
	}

	@MutationMapping
	ProductPayload productUpdate(@Argument String id, @Argument ProductInputArgument input, @Argument Long version,
			ShopId shop) {
		List<ProductUserError> errors = new ArrayList<>();
		Optional<Long> productId = productId(id, errors);
		ProductInput productInput = toProductInput(input, errors);
		return errors.isEmpty() ? ProductPayload.of(catalog.updateProduct(shop, productId.orElseThrow(), productInput, version))
				: new ProductPayload(null, errors);
	}

	@MutationMapping
	ProductDeletePayload productDelete(@Argument String id, ShopId shop) {
		List<ProductUserError> errors = new ArrayList<>();
		Optional<Long> productId = productId(id, errors);
		if (productId.isEmpty()) {
			return new ProductDeletePayload(null, errors);
		}
		ProductChange change = catalog.deleteProduct(shop, productId.get());
		return new ProductDeletePayload(change.succeeded() ? id : null, change.userErrors());
	}

	@MutationMapping
	ProductPayload productArchive(@Argument String id, ShopId shop) {
		List<ProductUserError> errors = new ArrayList<>();
		return productId(id, errors).map(productId -> ProductPayload.of(catalog.archiveProduct(shop, productId)))
				.orElseGet(() -> new ProductPayload(null, errors));
	}

	@MutationMapping
	ProductPayload productUnarchive(@Argument String id, ShopId shop) {
		List<ProductUserError> errors = new ArrayList<>();
		return productId(id, errors).map(productId -> ProductPayload.of(catalog.unarchiveProduct(shop, productId)))
				.orElseGet(() -> new ProductPayload(null, errors));
	}

	private static Optional<Long> productId(String id, List<ProductUserError> errors) {
		Optional<Long> productId = GlobalId.parse(id).filter(gid -> gid.type().equals("Product")).map(GlobalId::id);
		if (productId.isEmpty()) {
			errors.add(ProductUserError.of(Code.INVALID, "Not a product id: '" + id + "'", "id"));
		}
		return productId;
	}

	private static ProductInput toProductInput(ProductInputArgument input, List<ProductUserError> errors) {
		List<ProductInput.VariantInput> variants = input.variants() == null ? null : input.variants().stream()
				.map(v -> new ProductInput.VariantInput(v.title(), v.sku(), v.price(), v.compareAtPrice(),
						v.inventoryQuantity()))
				.toList();
		List<ProductInput.BundleComponentInput> components = null;
		if (input.bundleComponents() != null) {
			components = new ArrayList<>();
			for (int i = 0; i < input.bundleComponents().size(); i++) {
				BundleComponentArgument component = input.bundleComponents().get(i);
				Optional<Long> productId = GlobalId.parse(component.productId())
						.filter(gid -> gid.type().equals("Product")).map(GlobalId::id);
				if (productId.isEmpty()) {
					errors.add(ProductUserError.of(Code.INVALID, "Not a product id: '" + component.productId() + "'",
							"input", "bundleComponents", Integer.toString(i), "productId"));
				}
				else {
					components.add(new ProductInput.BundleComponentInput(productId.get(), component.quantity()));
				}
			}
		}
		return new ProductInput(input.title(), input.descriptionHtml(), input.handle(), input.vendor(),
				input.productType(), input.status(), input.tags(), variants, components);
	}
}
