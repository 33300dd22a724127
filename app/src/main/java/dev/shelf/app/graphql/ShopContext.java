package dev.shelf.app.graphql;

import java.util.Map;

import dev.shelf.app.security.ShopSession;
import dev.shelf.catalog.ShopId;
import graphql.schema.DataFetchingEnvironment;
import org.springframework.core.MethodParameter;
import org.springframework.graphql.data.method.HandlerMethodArgumentResolver;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Carries the authenticated shop from the HTTP request into GraphQL execution, where any controller method of any
 * module declares a {@link ShopId} parameter to receive it. Controllers therefore cannot run without a tenant, and
 * cannot pick one themselves.
 */
final class ShopContext {

	private ShopContext() {
	}

	@Component
	static class ShopContextInterceptor implements WebGraphQlInterceptor {

		@Override
		public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
			if (request.getAttributes().get(ShopSession.SHOP_ID_REQUEST_ATTRIBUTE) instanceof ShopId shop) {
				request.configureExecutionInput((input, builder) -> builder.graphQLContext(Map.of(ShopId.class, shop)).build());
			}
			return chain.next(request);
		}
	}

	@Component
	static class ShopIdArgumentResolver implements HandlerMethodArgumentResolver {

		@Override
		public boolean supportsParameter(MethodParameter parameter) {
			return parameter.getParameterType() == ShopId.class;
		}

		@Override
		public ShopId resolveArgument(MethodParameter parameter, DataFetchingEnvironment environment) {
			ShopId shop = environment.getGraphQlContext().get(ShopId.class);
			if (shop == null) {
				// An operator: /graphql admits shops and operators, and operators have no shop of their own.
				throw new AccessDeniedException("'" + environment.getField().getName()
						+ "' belongs to a shop: call it with the shop's session token");
			}
			return shop;
		}
	}
}
