package dev.shelf.app.graphql;

import java.util.Map;

import dev.shelf.app.security.CallerContextFilter;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.FieldCoordinates;
import graphql.schema.idl.SchemaDirectiveWiring;
import graphql.schema.idl.SchemaDirectiveWiringEnvironment;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.security.access.AccessDeniedException;
import reactor.core.publisher.Mono;

/**
 * The {@code @operatorOnly} directive: a module marks an operators' field in its schema file, and the field's data
 * fetcher is wrapped here to refuse every caller but an operator before the controller runs. The check lives in one
 * place, next to the schema that states it, instead of in each module's controllers.
 */
final class OperatorOnly implements SchemaDirectiveWiring {

	static final String DIRECTIVE = "operatorOnly";

	/** Key, in the GraphQL context, of the operator's name; absent when the caller is a shop. */
	private static final String OPERATOR = OperatorOnly.class.getName() + ".operator";

	@Override
	public GraphQLFieldDefinition onField(SchemaDirectiveWiringEnvironment<GraphQLFieldDefinition> environment) {
		GraphQLFieldDefinition field = environment.getElement();
		FieldCoordinates coordinates = FieldCoordinates.coordinates(environment.getFieldsContainer(), field);
		DataFetcher<?> fetcher = environment.getCodeRegistry().getDataFetcher(coordinates, field);
		environment.getCodeRegistry().dataFetcher(coordinates, (DataFetcher<?>) fetching -> {
			requireOperator(fetching);
			return fetcher.get(fetching);
		});
		return field;
	}

	private static void requireOperator(DataFetchingEnvironment environment) {
		if (!environment.getGraphQlContext().hasKey(OPERATOR)) {
			throw new AccessDeniedException("'" + environment.getField().getName()
					+ "' is for operators: authenticate with HTTP Basic as 'operator', not with a shop's session token");
		}
	}

	/** Moves the operator's name from the HTTP request (set by {@link CallerContextFilter}) into the GraphQL context. */
	static final class OperatorContextInterceptor implements WebGraphQlInterceptor {

		@Override
		public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
			if (request.getAttributes().get(CallerContextFilter.OPERATOR_REQUEST_ATTRIBUTE) instanceof String operator) {
				request.configureExecutionInput((input, builder) -> builder.graphQLContext(Map.of(OPERATOR, operator)).build());
			}
			return chain.next(request);
		}
	}
}
