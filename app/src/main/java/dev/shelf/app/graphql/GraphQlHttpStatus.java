package dev.shelf.app.graphql;

import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.webmvc.GraphQlHttpHandler;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Spring's GraphQL-over-HTTP handler, with one addition: a request refused by the shop's rate limit
 * ({@code THROTTLED}, nothing executed) is answered 429 Too Many Requests with {@code Retry-After}, whatever the
 * {@code Accept} header, so HTTP clients and proxies back off without parsing the body.
 */
final class GraphQlHttpStatus extends GraphQlHttpHandler {

	GraphQlHttpStatus(WebGraphQlHandler handler) {
		super(handler);
	}

	@Override
	protected HttpStatus selectResponseStatus(WebGraphQlResponse response, MediaType responseMediaType) {
		boolean throttled = response.getExecutionResult().getData() == null && response.getErrors().stream()
				.anyMatch(error -> error.getExtensions() != null && CostGuard.THROTTLED.equals(error.getExtensions().get("code")));
		return throttled ? HttpStatus.TOO_MANY_REQUESTS : super.selectResponseStatus(response, responseMediaType);
	}
}
