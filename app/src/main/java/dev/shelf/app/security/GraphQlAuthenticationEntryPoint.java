package dev.shelf.app.security;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers an unauthenticated {@code /graphql} request with HTTP 401 and a GraphQL-shaped body, so a client's
 * GraphQL error handling sees {@code extensions.code = UNAUTHENTICATED} instead of an empty page.
 */
final class GraphQlAuthenticationEntryPoint implements AuthenticationEntryPoint {

	static final String CODE = "UNAUTHENTICATED";

	private final JsonMapper json;

	GraphQlAuthenticationEntryPoint(JsonMapper json) {
		this.json = json;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
			throws IOException {
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		boolean tokenPresent = authorization != null;
		String message = !tokenPresent
				? "Missing session token: send 'Authorization: Bearer <Shopify session token>'"
				: authorization.regionMatches(true, 0, "Basic ", 0, 6)
						? "Invalid operator credentials: " + failure.getMessage()
						: "Invalid session token: " + failure.getMessage();
		response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
				tokenPresent ? "Bearer error=\"invalid_token\"" : "Bearer");
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		json.writeValue(response.getOutputStream(),
				Map.of("errors", List.of(Map.of("message", message, "extensions", Map.of("code", CODE)))));
	}
}
