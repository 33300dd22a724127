package dev.shelf.app.graphql;

import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import reactor.core.publisher.Mono;

/**
 * The name a client gives itself in the {@code X-Client-Name} header, e.g. {@code admin-web}: deprecated fields are
 * counted per client ({@link DeprecatedUsageMetrics}), and a field is removed only once no client uses it. The header
 * is the caller's own claim, so anything but a short token becomes {@code unknown}: it ends up as a metric tag.
 */
record ClientName(String value) {

	static final String HEADER = "X-Client-Name";
	private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._-]{1,64}");
	static final ClientName UNKNOWN = new ClientName("unknown");

	ClientName {
		if (!TOKEN.matcher(value).matches()) {
			throw new IllegalArgumentException("Not a client name: " + value);
		}
	}

	static ClientName fromHeader(String header) {
		return header != null && TOKEN.matcher(header).matches() ? new ClientName(header) : UNKNOWN;
	}

	/** Puts the caller's client name into the GraphQL context, where instrumentation finds it. */
	static final class ClientNameInterceptor implements WebGraphQlInterceptor {

		@Override
		public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
			ClientName client = fromHeader(request.getHeaders().getFirst(HEADER));
			request.configureExecutionInput(
					(input, builder) -> builder.graphQLContext(Map.of(ClientName.class, client)).build());
			return chain.next(request);
		}
	}
}
