package dev.shelf.app.graphql;

import java.util.Map;

import dev.shelf.app.security.ShopSession;
import dev.shelf.billing.ShopifySessionToken;
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
 * module declares a {@link ShopId} parameter to receive it (and a {@link ShopifySessionToken} parameter for the
 * request's verified session token, which billing exchanges for the shop's offline access token). Controllers therefore cannot run without a tenant, and
 * cannot pick one themselves.
 */
final class ShopContext {

	private ShopContext() {
	}

	@Component
	static class ShopContextInterceptor implements WebGraphQlInterceptor {

		@Override
		public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
			if (request.getAttributes().get(ShopSession.SHOP_ID_REQUEST_ATTRIBUTE) instanceof ShopId shop
					&& request.getAttributes().get(ShopSession.SESSION_TOKEN_REQUEST_ATTRIBUTE) instanceof ShopifySessionToken token) {
				request.configureExecutionInput((input, builder) -> builder.graphQLContext(Map.of(ShopId.class, shop,
						ShopifySessionToken.class, token)).build());
			}
			return chain.next(request);
		}
	}

	@Component
	static class ShopIdArgumentResolver implements HandlerMethodArgumentResolver {

		@Override
		public boolean supportsParameter(MethodParameter parameter) {
			return parameter.getParameterType() == ShopId.class || parameter.getParameterType() == ShopifySessionToken.class;
		}

		/** The shop's id, or (for billing's token exchange) the request's verified session token. */
		@Override
		public Object resolveArgument(MethodParameter parameter, DataFetchingEnvironment environment) {
			Object value = environment.getGraphQlContext().get(parameter.getParameterType());
			if (value == null) {
				// An operator: /graphql admits shops and operators, and operators have no shop of their own.
				throw new AccessDeniedException("'" + environment.getField().getName()
						+ "' belongs to a shop: call it with the shop's session token");
			}
			return value;
		}
	}
}
