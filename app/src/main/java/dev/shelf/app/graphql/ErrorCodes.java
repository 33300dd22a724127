package dev.shelf.app.graphql;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import graphql.ErrorClassification;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.preparsed.persisted.PersistedQueryIdInvalid;
import graphql.execution.preparsed.persisted.PersistedQueryNotFound;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Every error in a response carries {@code extensions.code}, a stable, documented string clients switch on (the
 * message is for humans and may change). Errors that already name a code keep it; the rest get one from their
 * classification. The codes are listed in the README.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE) // outermost: sees the errors of every other interceptor too
class ErrorCodes implements WebGraphQlInterceptor {

	private static final Logger log = LoggerFactory.getLogger(ErrorCodes.class);

	static final String PARSE_FAILED = "GRAPHQL_PARSE_FAILED";
	static final String VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED";
	static final String BAD_USER_INPUT = "BAD_USER_INPUT";
	static final String MAX_DEPTH_EXCEEDED = "MAX_DEPTH_EXCEEDED";
	static final String MAX_DOCUMENT_SIZE_EXCEEDED = "MAX_DOCUMENT_SIZE_EXCEEDED";
	static final String INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR";

	private static final Map<ErrorClassification, String> CODES = Map.of(
			graphql.ErrorType.InvalidSyntax, PARSE_FAILED,
			graphql.ErrorType.ValidationError, VALIDATION_FAILED,
			graphql.ErrorType.OperationNotSupported, "OPERATION_NOT_SUPPORTED",
			ErrorType.BAD_REQUEST, BAD_USER_INPUT,
			ErrorType.UNAUTHORIZED, "UNAUTHENTICATED",
			ErrorType.FORBIDDEN, "ACCESS_DENIED",
			ErrorType.NOT_FOUND, "NOT_FOUND");

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		return chain.next(request).map(response -> {
			List<GraphQLError> errors = response.getExecutionResult().getErrors();
			if (errors.isEmpty()) {
				return response;
			}
			List<GraphQLError> coded = errors.stream().map(ErrorCodes::withCode).toList();
			logFailures(coded);
			return response.transform(builder -> builder.errors(coded));
		});
	}

	/** Client mistakes at INFO, our own failures at WARN: either way visible, with request id and shop (MDC). */
	private static void logFailures(List<GraphQLError> errors) {
		for (GraphQLError error : errors) {
			Object code = error.getExtensions().get("code");
			if (INTERNAL_SERVER_ERROR.equals(code)) {
				log.warn("GraphQL error {} at {}: {}", code, error.getPath(), error.getMessage());
			}
			else {
				log.info("GraphQL request rejected, {}: {}", code, error.getMessage());
			}
		}
	}

	static GraphQLError error(String code, String message) {
		return GraphqlErrorBuilder.newError().message(message).extensions(Map.of("code", code)).build();
	}

	private static boolean hasCode(GraphQLError error) {
		return error.getExtensions() != null && error.getExtensions().containsKey("code");
	}

	/** Apollo's codes for persisted queries, which Apollo Client, urql and Relay act on (send the document). */
	private static String codeOf(ErrorClassification classification) {
		if (classification instanceof PersistedQueryNotFound) {
			return "PERSISTED_QUERY_NOT_FOUND";
		}
		if (classification instanceof PersistedQueryIdInvalid) {
			return "PERSISTED_QUERY_ID_INVALID";
		}
		return CODES.getOrDefault(classification, INTERNAL_SERVER_ERROR);
	}

	private static GraphQLError withCode(GraphQLError error) {
		if (hasCode(error)) {
			return error;
		}
		Map<String, Object> extensions = new LinkedHashMap<>();
		if (error.getExtensions() != null) {
			extensions.putAll(error.getExtensions());
		}
		extensions.put("code", codeOf(error.getErrorType()));
		return GraphqlErrorBuilder.newError()
				.message(error.getMessage())
				.locations(error.getLocations())
				.path(error.getPath())
				.errorType(error.getErrorType())
				.extensions(extensions)
				.build();
	}
}
