package dev.shelf.app.graphql;

import java.util.Map;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The depth limit remembers operations that passed; what decides the depth is part of what it remembers them by. */
class DepthLimitTests {

	private final GraphQL graphQl = GraphQL.newGraphQL(new SchemaGenerator().makeExecutableSchema(
					new SchemaParser().parse("type Query { item: Item } type Item { item: Item name: String }"),
					RuntimeWiring.newRuntimeWiring().type("Query", type -> type.dataFetcher("item", env -> Map.of())).build()))
			.instrumentation(new RequestLimits.DepthLimit(3))
			.build();

	private static final String DOCUMENT = "query ($deep: Boolean!) { item { name item @include(if: $deep) { item { name } } } }";

	@Test
	void anOperationThatPassedIsRefusedWithVariablesThatMakeItDeeper() {
		for (int i = 0; i < 2; i++) {
			assertThat(execute(false).getErrors()).isEmpty();
		}

		for (int i = 0; i < 2; i++) {
			assertThat(execute(true).getErrors()).singleElement()
					.satisfies(error -> assertThat(error.getExtensions()).containsEntry("code", "MAX_DEPTH_EXCEEDED"));
		}
		assertThat(execute(false).getErrors()).isEmpty();
	}

	private ExecutionResult execute(boolean deep) {
		return graphQl.execute(ExecutionInput.newExecutionInput(DOCUMENT).variables(Map.of("deep", deep)).build());
	}
}
