package dev.shelf.app.security;

import java.io.IOException;

import dev.shelf.billing.ShopifySessionToken;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * After authentication: hands the shop's id to the GraphQL layer as a request attribute (read by
 * {@code ShopContextInterceptor}, independent of which thread executes the query) and puts the shop's domain into
 * every log line of the request ({@code %X{shop}}).
 */
final class ShopRequestContextFilter extends OncePerRequestFilter {

	static final String MDC_KEY = "shop";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!(SecurityContextHolder.getContext().getAuthentication() instanceof ShopSession session)) {
			chain.doFilter(request, response);
			return;
		}
		request.setAttribute(ShopSession.SHOP_ID_REQUEST_ATTRIBUTE, session.getPrincipal());
		request.setAttribute(ShopSession.SESSION_TOKEN_REQUEST_ATTRIBUTE,
				new ShopifySessionToken(session.getCredentials().getTokenValue()));
		MDC.put(MDC_KEY, session.getName());
		try {
			chain.doFilter(request, response);
		}
		finally {
			MDC.remove(MDC_KEY);
		}
	}
}
