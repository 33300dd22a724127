package dev.shelf.catalog.graphql;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import dev.shelf.catalog.BadUserInputException;
import dev.shelf.catalog.BundleComponent;
import dev.shelf.catalog.Catalog;
import dev.shelf.catalog.GlobalId;
import dev.shelf.catalog.Money;
import dev.shelf.catalog.Product;
import dev.shelf.catalog.ProductField;
import dev.shelf.catalog.ProductKind;
import dev.shelf.catalog.ProductPage;
import dev.shelf.catalog.ProductPageRequest;
import dev.shelf.catalog.ProductPosition;
import dev.shelf.catalog.ProductSortKey;
import dev.shelf.catalog.ProductVariant;
import dev.shelf.catalog.ShopId;
import dev.shelf.catalog.ShopifyProduct;
import org.dataloader.DataLoader;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.graphql.execution.BatchLoaderRegistry;
import org.springframework.stereotype.Controller;
import reactor.core.publisher.Mono;

/**
 * Products for the GraphQL API. Everything below a page of products is loaded per page, not per product:
 * variants, mirrors, bundle components and component products each go through a DataLoader that reads all the
 * page's products in one statement, so a page costs the same number of statements whatever its size. The fields
 * every product and variant of a page repeats (ids, {@code variants}) are plain graphql-java fetchers instead of
 * methods here: {@link ProductPageFetchers}.
 */
@Controller
class ProductController {

	/** The DataLoader of a product's variants; {@link ProductPageFetchers.VariantsField} and {@link #priceRange} share it. */
	static final String VARIANTS = "productVariants";
	private static final String MIRRORS = "shopifyProducts";
	private static final String BUNDLES = "bundleComponents";
	private static final String PRODUCTS = "productsById";

	private final Catalog catalog;

	ProductController(Catalog catalog, BatchLoaderRegistry loaders) {
		this.catalog = catalog;
		// Keys carry the shop, so a loader never needs request state to stay inside the tenant.
		loaders.<ProductKey, List<ProductVariant>>forName(VARIANTS)
				.registerMappedBatchLoader((keys, env) -> Mono.fromCallable(() -> byKey(keys, catalog::variantsOf, List.of())));
		loaders.<ProductKey, ShopifyProduct>forName(MIRRORS)
				.registerMappedBatchLoader((keys, env) -> Mono.fromCallable(() -> byKey(keys, catalog::shopifyProductsOf, null)));
		loaders.<ProductKey, List<BundleComponent>>forName(BUNDLES)
				.registerMappedBatchLoader((keys, env) -> Mono.fromCallable(() -> byKey(keys, catalog::bundleComponentsOf, List.of())));
		loaders.<ProductKey, Product>forName(PRODUCTS)
				.registerMappedBatchLoader((keys, env) -> Mono.fromCallable(() -> byKey(keys, catalog::findProducts, null)));
	}

	/** A product of a shop: what the loaders are keyed by. */
	record ProductKey(ShopId shop, long productId) {
	}

	@QueryMapping
	Product product(@Argument String id, ShopId shop) {
		return catalog.findProduct(shop, GlobalId.idOf("Product", id)).orElse(null);
	}

	@QueryMapping
	Connection<Product> products(@Argument Integer first, @Argument String after, @Argument Integer last,
			@Argument String before, @Argument ProductSortKey sortKey, @Argument Boolean reverse, @Argument String query,
			ShopId shop) {
		boolean forward = pageDirection(first, last);
		int size = forward ? first : last;
		// Explicit nulls mean the schema's defaults.
		ProductSortKey key = sortKey != null ? sortKey : ProductSortKey.ID;
		ProductPageRequest request = new ProductPageRequest(key, Boolean.TRUE.equals(reverse), forward, size,
				after == null ? null : Cursors.product(after, key), before == null ? null : Cursors.product(before, key),
				ProductSearchSyntax.parse(query));
		ProductPage page = catalog.listProducts(shop, request);
		return Connection.of(page.products(), product -> Cursors.product(ProductPosition.of(key, product)),
				page.hasPreviousPage(), page.hasNextPage());
	}

	@QueryMapping
	Connection<ShopifyProduct> shopifyProducts(@Argument int first, @Argument String after, ShopId shop) {
		checkPageSize("first", first);
		List<ShopifyProduct> mirrors = catalog.listShopifyProducts(shop, after == null ? 0 : Cursors.id("m", after), first);
		boolean more = mirrors.size() > first;
		return Connection.of(more ? mirrors.subList(0, first) : mirrors, mirror -> Cursors.id("m", mirror.id()),
				after != null, more);
	}

	@SchemaMapping(typeName = "Product")
	List<ProductField> merchantEditedFields(Product product) {
		return product.merchantEditedFields().stream().sorted().toList();
	}

	@SchemaMapping(typeName = "Product")
	CompletableFuture<ShopifyProduct> shopifyProduct(Product product, DataLoader<ProductKey, ShopifyProduct> shopifyProducts) {
		return product.kind() == ProductKind.SHOPIFY ? shopifyProducts.load(key(product))
				: CompletableFuture.completedFuture(null);
	}

	@SchemaMapping(typeName = "Product")
	CompletableFuture<PriceRange> priceRange(Product product, DataLoader<ProductKey, List<ProductVariant>> productVariants) {
		return productVariants.load(key(product)).thenApply(PriceRange::of);
	}

	@SchemaMapping(typeName = "Product")
	CompletableFuture<List<BundleComponent>> bundleComponents(Product product,
			DataLoader<ProductKey, List<BundleComponent>> bundleComponents) {
		return bundleComponents.load(key(product));
	}

	@SchemaMapping(typeName = "BundleComponent")
	CompletableFuture<Product> product(BundleComponent component, ShopId shop, DataLoader<ProductKey, Product> productsById) {
		return productsById.load(new ProductKey(shop, component.productId()));
	}

	@SchemaMapping(typeName = "ShopifyProduct")
	String descriptionHtml(ShopifyProduct mirror) {
		return mirror.bodyHtml();
	}

	@SchemaMapping(typeName = "ShopifyProduct", field = "product")
	CompletableFuture<Product> mirroredProduct(ShopifyProduct mirror, ShopId shop,
			DataLoader<ProductKey, Product> productsById) {
		return productsById.load(new ProductKey(shop, mirror.productId()));
	}

	/** The legacy view of merchant edits, read from the generic model: a value only where the merchant set one. */
	@SchemaMapping(typeName = "ShopifyProduct")
	CompletableFuture<Personalization> personalization(ShopifyProduct mirror, ShopId shop,
			DataLoader<ProductKey, Product> productsById) {
		return productsById.load(new ProductKey(shop, mirror.productId())).thenApply(product -> product == null ? null
				: new Personalization(
						product.merchantEditedFields().contains(ProductField.TITLE) ? product.title() : null,
						product.merchantEditedFields().contains(ProductField.DESCRIPTION_HTML) ? product.descriptionHtml() : null));
	}

	record Personalization(String title, String description) {
	}

	record PriceRange(Money minVariantPrice, Money maxVariantPrice) {

		static PriceRange of(List<ProductVariant> variants) {
			if (variants.isEmpty()) {
				return null;
			}
			Comparator<ProductVariant> byPrice = Comparator.comparing(variant -> variant.price().amount());
			return new PriceRange(variants.stream().min(byPrice).orElseThrow().price(),
					variants.stream().max(byPrice).orElseThrow().price());
		}
	}

	/** {@code true} for a forward page ({@code first}), {@code false} for a backward one ({@code last}). */
	private static boolean pageDirection(Integer first, Integer last) {
		if ((first == null) == (last == null)) {
			throw new BadUserInputException("Pass either first or last (not both, not neither)");
		}
		checkPageSize(first != null ? "first" : "last", first != null ? first : last);
		return first != null;
	}

	static void checkPageSize(String argument, int size) {
		if (size < 0 || size > ProductPageRequest.MAX_SIZE) {
			throw new BadUserInputException(argument + " must be between 0 and " + ProductPageRequest.MAX_SIZE + ", got " + size);
		}
	}

	static ProductKey key(Product product) {
		return new ProductKey(product.shopId(), product.id());
	}

	/** Runs one catalog read per shop in the batch (always exactly one: a request is one shop) and maps it back. */
	private static <V> Map<ProductKey, V> byKey(Set<ProductKey> keys,
			java.util.function.BiFunction<ShopId, Set<Long>, Map<Long, V>> read, V absent) {
		return keys.stream().collect(Collectors.groupingBy(ProductKey::shop)).entrySet().stream()
				.flatMap(shopKeys -> {
					Map<Long, V> found = read.apply(shopKeys.getKey(),
							shopKeys.getValue().stream().map(ProductKey::productId).collect(Collectors.toSet()));
					return shopKeys.getValue().stream().map(key -> Map.entry(key,
							found.getOrDefault(key.productId(), absent)));
				})
				.filter(entry -> entry.getValue() != null)
				.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
	}
}
