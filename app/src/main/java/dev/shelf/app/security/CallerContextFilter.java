package dev.shelf.app.security;

import java.io.IOException;

import dev.shelf.billing.ShopifySessionToken;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * After authentication: hands the caller to the GraphQL layer as a request attribute (read there independent of which
 * thread executes the query) — the shop's id for a session token ({@link ShopSession#SHOP_ID_REQUEST_ATTRIBUTE}, and
 * the verified token itself for billing's token exchange, {@link ShopSession#SESSION_TOKEN_REQUEST_ATTRIBUTE}), the
 * operator's name for HTTP Basic ({@link #OPERATOR_REQUEST_ATTRIBUTE}) — and puts who it is into every log line of the
 * request ({@code shop=<domain>}, or {@code operator=<name>} after it).
 */
public final class CallerContextFilter extends OncePerRequestFilter {

	/** The request attribute holding the operator's name on a request authenticated as an operator. */
	public static final String OPERATOR_REQUEST_ATTRIBUTE = CallerContextFilter.class.getName() + ".operator";

	static final String SHOP_MDC_KEY = "shop";
	/** Holds {@code " operator=<name>"}: the log pattern prints it as it is, and nothing on other requests. */
	static final String OPERATOR_MDC_KEY = "operator";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		String mdcKey;
		String mdcValue;
		if (authentication instanceof ShopSession session) {
			request.setAttribute(ShopSession.SHOP_ID_REQUEST_ATTRIBUTE, session.getPrincipal());
			request.setAttribute(ShopSession.SESSION_TOKEN_REQUEST_ATTRIBUTE,
					new ShopifySessionToken(session.getCredentials().getTokenValue()));
			mdcKey = SHOP_MDC_KEY;
			mdcValue = authentication.getName();
		}
		else if (authentication != null && authentication.getAuthorities().stream()
				.anyMatch(authority -> authority.getAuthority().equals("ROLE_" + SecurityConfiguration.OPERATOR_ROLE))) {
			request.setAttribute(OPERATOR_REQUEST_ATTRIBUTE, authentication.getName());
			mdcKey = OPERATOR_MDC_KEY;
			mdcValue = " operator=" + authentication.getName();
		}
		else {
			chain.doFilter(request, response);
			return;
		}
		MDC.put(mdcKey, mdcValue);
		try {
			chain.doFilter(request, response);
		}
		finally {
			MDC.remove(mdcKey);
		}
	}
}
