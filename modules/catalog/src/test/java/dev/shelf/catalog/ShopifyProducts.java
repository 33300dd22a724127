package dev.shelf.catalog;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Builds what the webhooks module would hand the catalog for a Shopify product: a plausible product by default. */
final class ShopifyProducts {

	/** Shopify's ids are 64-bit and, in real shops, far beyond 2^31. */
	private static final AtomicLong nextId = new AtomicLong(7_000_000_000L);

	private ShopifyProducts() {
	}

	static Builder aShopifyProduct() {
		return new Builder(nextId.incrementAndGet());
	}

	static ShopifyProductData.Variant aVariant(long shopifyVariantId, String title, String price) {
		return new ShopifyProductData.Variant(shopifyVariantId, title, "SKU-" + shopifyVariantId, new BigDecimal(price),
				null, 10, 1);
	}

	static long aShopifyVariantId() {
		return nextId.incrementAndGet();
	}

	/** Mutable on purpose: a test builds version 1, changes a field or the timestamp, builds version 2. */
	static final class Builder {

		private long shopifyId;
		private String title = "Linen Shirt";
		private String bodyHtml = "<p>Breathes in summer.</p>";
		private String vendor = "Acme Textiles";
		private String productType = "Shirts";
		private String handle;
		private String status = "active";
		private List<String> tags = List.of("summer", "linen");
		private Instant updatedAt = Instant.parse("2024-05-01T10:00:00Z");
		private List<ShopifyProductData.Variant> variants;

		private Builder(long shopifyId) {
			this.shopifyId = shopifyId;
			this.handle = "linen-shirt-" + shopifyId;
			this.variants = List.of(aVariant(shopifyId + 1_000_000_000L, "Default Title", "19.99"));
		}

		Builder withShopifyId(long shopifyId) {
			this.shopifyId = shopifyId;
			return this;
		}

		Builder titled(String title) {
			this.title = title;
			return this;
		}

		Builder describedAs(String bodyHtml) {
			this.bodyHtml = bodyHtml;
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

		Builder withHandle(String handle) {
			this.handle = handle;
			return this;
		}

		Builder withStatus(String status) {
			this.status = status;
			return this;
		}

		Builder taggedWith(String... tags) {
			this.tags = List.of(tags);
			return this;
		}

		Builder updatedAt(Instant updatedAt) {
			this.updatedAt = updatedAt;
			return this;
		}

		/** The next version Shopify sends: its {@code updated_at} moves on. */
		Builder updatedLater() {
			this.updatedAt = updatedAt.plus(Duration.ofMinutes(1));
			return this;
		}

		Builder withVariants(ShopifyProductData.Variant... variants) {
			this.variants = List.of(variants);
			return this;
		}

		long shopifyId() {
			return shopifyId;
		}

		Instant updatedAt() {
			return updatedAt;
		}

		ShopifyProductData build() {
			return new ShopifyProductData(shopifyId, title, bodyHtml, vendor, productType, handle, status, tags, updatedAt,
					variants, "{\"id\": " + shopifyId + "}");
		}
	}
}
