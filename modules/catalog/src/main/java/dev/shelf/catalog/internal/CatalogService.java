package dev.shelf.catalog.internal;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.shelf.catalog.BundleComponent;
import dev.shelf.catalog.Catalog;
import dev.shelf.catalog.Product;
import dev.shelf.catalog.ProductChange;
import dev.shelf.catalog.ProductInput;
import dev.shelf.catalog.ProductPage;
import dev.shelf.catalog.ProductPageRequest;
import dev.shelf.catalog.ProductStatus;
import dev.shelf.catalog.ProductUserError;
import dev.shelf.catalog.ProductVariant;
import dev.shelf.catalog.ShopId;
import dev.shelf.catalog.ShopifyProduct;
import dev.shelf.catalog.ShopifyProductData;
import dev.shelf.catalog.ShopifyProductSync;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

@Service
class CatalogService implements Catalog {

	private final ShopifyMirror shopifyMirror;
	private final MerchantProducts merchantProducts;
	private final ProductQueries queries;

	CatalogService(ShopifyMirror shopifyMirror, MerchantProducts merchantProducts, ProductQueries queries) {
		this.shopifyMirror = shopifyMirror;
		this.merchantProducts = merchantProducts;
		this.queries = queries;
	}

	@Override
	public ShopifyProductSync applyShopifyProduct(ShopId shop, ShopifyProductData product) {
		return shopifyMirror.apply(shop, product);
	}

	@Override
	public ShopifyProductSync markShopifyProductDeleted(ShopId shop, long shopifyId, Instant deletedAt) {
		return shopifyMirror.markDeleted(shop, shopifyId, deletedAt);
	}

	@Override
	public ProductChange createProduct(ShopId shop, ProductInput input) {
		return merchantProducts.create(shop, input);
	}

	@Override
	public ProductChange updateProduct(ShopId shop, long productId, ProductInput input, Long expectedVersion) {
		try {
			return merchantProducts.update(shop, productId, input, expectedVersion);
		}
		catch (DuplicateKeyException e) {
			// Two concurrent updates moved two products to the same new handle: the unique constraint let one win,
			// and this one's transaction is rolled back; the merchant gets the same answer as a visible clash.
			if (e.getMessage() != null && e.getMessage().contains("products_handle_key")) {
				return ProductChange.refused(ProductUserError.of(ProductUserError.Code.TAKEN,
						"Handle '" + input.handle() + "' is already used by another product", "input", "handle"));
			}
			throw e;
		}
	}

	@Override
	public ProductChange deleteProduct(ShopId shop, long productId) {
		return merchantProducts.delete(shop, productId);
	}

	@Override
	public ProductChange archiveProduct(ShopId shop, long productId) {
		return merchantProducts.changeStatus(shop, productId, ProductStatus.ARCHIVED);
	}

	@Override
	public ProductChange unarchiveProduct(ShopId shop, long productId) {
		return merchantProducts.changeStatus(shop, productId, ProductStatus.DRAFT);
	}

	@Override
	public Optional<Product> findProduct(ShopId shop, long productId) {
		return queries.findProduct(shop, productId);
	}

	@Override
	public Map<Long, Product> findProducts(ShopId shop, Collection<Long> productIds) {
		return queries.findProducts(shop, productIds);
	}

	@Override
	public ProductPage listProducts(ShopId shop, ProductPageRequest page) {
		return queries.listProducts(shop, page);
	}

	@Override
	public Map<Long, List<ProductVariant>> variantsOf(ShopId shop, Collection<Long> productIds) {
		return queries.variantsOf(shop, productIds);
	}

	@Override
	public Map<Long, ShopifyProduct> shopifyProductsOf(ShopId shop, Collection<Long> productIds) {
		return queries.shopifyProductsOf(shop, productIds);
	}

	@Override
	public Optional<ShopifyProduct> findShopifyProduct(ShopId shop, long mirrorId) {
		return queries.findShopifyProduct(shop, mirrorId);
	}

	@Override
	public List<ShopifyProduct> listShopifyProducts(ShopId shop, long afterMirrorId, int size) {
		return queries.listShopifyProducts(shop, afterMirrorId, size);
	}

	@Override
	public Optional<ProductVariant> findVariant(ShopId shop, long variantId) {
		return queries.findVariant(shop, variantId);
	}

	@Override
	public Map<Long, List<BundleComponent>> bundleComponentsOf(ShopId shop, Collection<Long> productIds) {
		return queries.bundleComponentsOf(shop, productIds);
	}
}
