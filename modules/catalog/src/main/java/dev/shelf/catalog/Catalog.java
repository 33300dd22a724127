package dev.shelf.catalog;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The shop's products: what webhooks and the GraphQL API call. Every method is scoped to one shop; an id of
 * another shop's product behaves exactly like an id that does not exist.
 */
public interface Catalog {

	// Shopify's side: called with what Shopify sent (by the webhooks module).

	/**
	 * Applies a Shopify product: creates mirror and product on first sight, otherwise updates the mirror and every
	 * product field the merchant has not edited. Idempotent, and safe for concurrent duplicates (one mirror, one
	 * product). An update older than the stored Shopify {@code updated_at} changes nothing and is reported
	 * {@link ShopifyProductSync.Outcome#STALE}.
	 */
	ShopifyProductSync applyShopifyProduct(ShopId shop, ShopifyProductData product);

	/**
	 * Shopify deleted the product: the mirror is marked deleted and the product archived, nothing is removed.
	 * Unknown products are reported {@link ShopifyProductSync.Outcome#STALE} with product id 0.
	 */
	ShopifyProductSync markShopifyProductDeleted(ShopId shop, long shopifyId, Instant deletedAt);

	// The merchant's side: called by the GraphQL API. Refusals come back as user errors, never as exceptions.

	ProductChange createProduct(ShopId shop, ProductInput input);

	/** @param expectedVersion the version the merchant last saw, or {@code null} to skip the check */
	ProductChange updateProduct(ShopId shop, long productId, ProductInput input, Long expectedVersion);

	/** Deletes a custom product and its variants; refused for Shopify products and for bundle components. */
	ProductChange deleteProduct(ShopId shop, long productId);

	ProductChange archiveProduct(ShopId shop, long productId);

	/** Back from archived to {@link ProductStatus#DRAFT}. */
	ProductChange unarchiveProduct(ShopId shop, long productId);

	// Reads.

	Optional<Product> findProduct(ShopId shop, long productId);

	/** The products among {@code productIds} that exist in the shop, keyed by id. */
	Map<Long, Product> findProducts(ShopId shop, Collection<Long> productIds);

	ProductPage listProducts(ShopId shop, ProductPageRequest page);

	/** Variants of each given product, in position order, at most {@value ProductPageRequest#MAX_SIZE} each. */
	Map<Long, List<ProductVariant>> variantsOf(ShopId shop, Collection<Long> productIds);

	/** The Shopify mirror of each given SHOPIFY product, keyed by product id. */
	Map<Long, ShopifyProduct> shopifyProductsOf(ShopId shop, Collection<Long> productIds);

	Optional<ShopifyProduct> findShopifyProduct(ShopId shop, long mirrorId);

	/** Mirrors in id order after {@code afterMirrorId} (0 for the start), one more than {@code size} if there are. */
	List<ShopifyProduct> listShopifyProducts(ShopId shop, long afterMirrorId, int size);

	Optional<ProductVariant> findVariant(ShopId shop, long variantId);

	/** Bundle components of each given product; old-style components (Shopify ids) are resolved to products. */
	Map<Long, List<BundleComponent>> bundleComponentsOf(ShopId shop, Collection<Long> productIds);
}
