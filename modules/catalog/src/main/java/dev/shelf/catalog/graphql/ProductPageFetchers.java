package dev.shelf.catalog.graphql;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import dev.shelf.catalog.GlobalId;
import dev.shelf.catalog.Product;
import dev.shelf.catalog.ProductPageRequest;
import dev.shelf.catalog.ProductVariant;
import dev.shelf.catalog.ShopifyProduct;
import dev.shelf.catalog.graphql.ProductController.ProductKey;
import graphql.TrivialDataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.LightDataFetcher;
import org.dataloader.DataLoader;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.ResolvableType;
import org.springframework.graphql.execution.RuntimeWiringConfigurer;
import org.springframework.graphql.execution.SelfDescribingDataFetcher;

/**
 * The fields a page of products repeats for every product and variant: {@code id} (global ids),
 * {@code Product.legacyResourceId} and {@code Product.variants}. A page of 50 products with their variants resolves
 * ~240 of them. As controller methods each went through Spring for GraphQL's handler invocation (argument
 * resolvers, reflection), context propagation, and — all but {@code variants} — a Micrometer observation with a timer
 * and a long-task timer: about 40 % of the JVM's CPU for such a page (BENCHMARKS.md §3). Here they are graphql-java
 * {@link TrivialDataFetcher}s, which graphql-java and Spring run as they run the record properties next to them:
 * directly, not observed per field, no thread-local context restored (none of them reads any). The ids are
 * {@link LightDataFetcher}s, as graphql-java's own property fetcher is: they read only their source object, so
 * graphql-java does not build a {@code DataFetchingEnvironment} for each of them (~190 per page).
 */
@Configuration(proxyBeanMethods = false)
class ProductPageFetchers {

	@Bean
	RuntimeWiringConfigurer productPageFields() {
		return wiring -> wiring
				.type("Product", type -> type
						.dataFetcher("id", new GlobalIdField<>("Product", Product.class, Product::id))
						.dataFetcher("legacyResourceId", new NumericIdField<>(Product.class, Product::id))
						.dataFetcher("variants", new VariantsField()))
				.type("ProductVariant", type -> type
						.dataFetcher("id", new GlobalIdField<>("ProductVariant", ProductVariant.class, ProductVariant::id)))
				.type("ShopifyProduct", type -> type
						.dataFetcher("id", new GlobalIdField<>("ShopifyProduct", ShopifyProduct.class, ShopifyProduct::id)));
	}

	/** {@code gid://shelf/<Type>/<id>} of the source object. */
	static final class GlobalIdField<T> implements LightDataFetcher<String> {

		private final Class<T> sourceType;
		private final ToLongFunction<T> id;
		private final LongFunction<String> format;

		GlobalIdField(String typeName, Class<T> sourceType, ToLongFunction<T> id) {
			this.sourceType = sourceType;
			this.id = id;
			this.format = GlobalId.formatter(typeName);
		}

		@Override
		public String get(GraphQLFieldDefinition field, Object source, Supplier<DataFetchingEnvironment> environment) {
			return format.apply(id.applyAsLong(sourceType.cast(source)));
		}

		@Override
		public String get(DataFetchingEnvironment environment) {
			return get(environment.getFieldDefinition(), environment.getSource(), () -> environment);
		}
	}

	/** The numeric id of the source object ({@code UnsignedInt64}). */
	static final class NumericIdField<T> implements LightDataFetcher<Long> {

		private final Class<T> sourceType;
		private final ToLongFunction<T> id;

		NumericIdField(Class<T> sourceType, ToLongFunction<T> id) {
			this.sourceType = sourceType;
			this.id = id;
		}

		@Override
		public Long get(GraphQLFieldDefinition field, Object source, Supplier<DataFetchingEnvironment> environment) {
			return id.applyAsLong(sourceType.cast(source));
		}

		@Override
		public Long get(DataFetchingEnvironment environment) {
			return get(environment.getFieldDefinition(), environment.getSource(), () -> environment);
		}
	}

	/**
	 * {@code Product.variants(first, after)}: a page of the product's variants, cut from all of them, which the
	 * {@value ProductController#VARIANTS} DataLoader reads for the whole page of products in one statement. Its work is
	 * that batch load, which has its own observation ({@code graphql.dataloader}); Spring for GraphQL does not observe
	 * DataLoader-backed fields per field either. Self-describing, so Spring's schema inspection checks the types
	 * below it as it did when this was a controller method.
	 */
	static final class VariantsField implements TrivialDataFetcher<CompletableFuture<Connection<ProductVariant>>>,
			SelfDescribingDataFetcher<CompletableFuture<Connection<ProductVariant>>> {

		private static final ResolvableType RETURN_TYPE = ResolvableType.forClassWithGenerics(CompletableFuture.class,
				ResolvableType.forClassWithGenerics(Connection.class, ProductVariant.class));

		@Override
		public String getDescription() {
			return "Product.variants";
		}

		@Override
		public ResolvableType getReturnType() {
			return RETURN_TYPE;
		}

		@Override
		public Map<String, ResolvableType> getArguments() {
			return Map.of("first", ResolvableType.forClass(Integer.class), "after", ResolvableType.forClass(String.class));
		}

		@Override
		public boolean usesDataLoader() {
			return true;
		}

		@Override
		public CompletableFuture<Connection<ProductVariant>> get(DataFetchingEnvironment environment) {
			Product product = (Product) environment.getSource();
			Integer first = environment.getArgument("first");
			String after = environment.getArgument("after");
			int size = first != null ? first : ProductPageRequest.MAX_SIZE;
			ProductController.checkPageSize("first", size);
			long afterId = after == null ? 0 : Cursors.id("v", after);
			DataLoader<ProductKey, List<ProductVariant>> variants = environment.getDataLoader(ProductController.VARIANTS);
			return variants.load(ProductController.key(product)).thenApply(all -> page(all, size, afterId));
		}

		private static Connection<ProductVariant> page(List<ProductVariant> all, int size, long afterId) {
			int start = 0;
			if (afterId != 0) {
				while (start < all.size() && all.get(start).id() != afterId) {
					start++;
				}
				start = Math.min(start + 1, all.size());
			}
			int end = Math.min(start + size, all.size());
			return Connection.of(all.subList(start, end), variant -> Cursors.id("v", variant.id()), start > 0,
					end < all.size());
		}
	}
}
