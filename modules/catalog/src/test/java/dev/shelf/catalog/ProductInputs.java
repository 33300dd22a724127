package dev.shelf.catalog;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Builds what the GraphQL API would hand the catalog for a merchant's create or update. */
final class ProductInputs {

	private ProductInputs() {
	}

	/** A new custom product: a title and nothing else unless the test says so. */
	static Builder aProduct(String title) {
		return new Builder().titled(title);
	}

	/** An update that changes nothing until the test says what. */
	static Builder aChange() {
		return new Builder();
	}

	static ProductInput.VariantInput aVariantPriced(String price) {
		return new ProductInput.VariantInput("Default", null, new BigDecimal(price), null, null);
	}

	static ProductInput.VariantInput aVariant(String title, String price) {
		return new ProductInput.VariantInput(title, "SKU-" + title, new BigDecimal(price), null, 5);
	}

	static ProductInput.BundleComponentInput component(long productId, int quantity) {
		return new ProductInput.BundleComponentInput(productId, quantity);
	}

	static final class Builder {

		private String title;
		private String descriptionHtml;
		private String handle;
		private String vendor;
		private String productType;
		private ProductStatus status;
		private List<String> tags;
		private List<ProductInput.VariantInput> variants;
		private List<ProductInput.BundleComponentInput> bundleComponents;

		Builder titled(String title) {
			this.title = title;
			return this;
		}

		Builder describedAs(String descriptionHtml) {
			this.descriptionHtml = descriptionHtml;
			return this;
		}

		Builder withHandle(String handle) {
			this.handle = handle;
			return this;
		}

		Builder byVendor(String vendor) {
			this.vendor = vendor;
			return this;
		}

		Builder ofType(String productType) {
			this.productType = productType;
			return this;
		}

		Builder withStatus(ProductStatus status) {
			this.status = status;
			return this;
		}

		Builder taggedWith(String... tags) {
			this.tags = List.of(tags);
			return this;
		}

		Builder withVariants(ProductInput.VariantInput... variants) {
			this.variants = new ArrayList<>(List.of(variants));
			return this;
		}

		Builder withComponents(ProductInput.BundleComponentInput... components) {
			this.bundleComponents = List.of(components);
			return this;
		}

		ProductInput build() {
			return new ProductInput(title, descriptionHtml, handle, vendor, productType, status, tags, variants,
					bundleComponents);
		}
	}
}
