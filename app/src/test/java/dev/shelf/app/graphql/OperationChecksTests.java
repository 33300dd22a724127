package dev.shelf.app.graphql;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationCreateStateParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Operation-level checks run once per operation, in Spring's order; every field-level hook reaches only its owner. */
class OperationChecksTests {

	private static final GraphQLSchema SCHEMA = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse("""
			type Query { items: [Item!]! }
			type Item { name: String! }
			"""), RuntimeWiring.newRuntimeWiring()
			.type("Query", type -> type.dataFetcher("items", environment -> List.of(Map.of("name", "a"),
					Map.of("name", "b"), Map.of("name", "c"))))
			.build());

	private final List<String> calls = new CopyOnWriteArrayList<>();

	@Test
	void checksRunOncePerOperationInTheirOrderAndFieldHooksReachTheFieldLevelInstrumentationWithItsState() {
		Instrumentation first = new Check("first", calls);
		Instrumentation fieldLevel = new FieldLevel(calls);
		Instrumentation last = new Check("last", calls);

		ExecutionResult result = GraphQL.newGraphQL(SCHEMA)
				.instrumentation(OperationChecks.around(List.of(first, fieldLevel, last), List.of(first, last)))
				.build().execute("{ items { name } }");

		assertThat(result.getErrors()).isEmpty();
		assertThat(calls.subList(0, 3)).containsExactly("first", "field-level operation", "last");
		assertThat(calls.subList(3, calls.size())).isNotEmpty().containsOnly("fetch with state");
		assertThat(calls.stream().filter(call -> call.equals("first") || call.equals("last"))).hasSize(2);
	}

	@Test
	void aCheckThatAbortsStopsTheOperationAsInAChain() {
		Instrumentation depth = new RequestLimits.DepthLimit(1);
		Instrumentation fieldLevel = new FieldLevel(calls);

		ExecutionResult result = GraphQL.newGraphQL(SCHEMA)
				.instrumentation(OperationChecks.around(List.of(depth, fieldLevel), List.of(depth)))
				.build().execute("{ items { name } }");

		assertThat(result.getErrors()).singleElement()
				.satisfies(error -> assertThat(error.getExtensions()).containsEntry("code", "MAX_DEPTH_EXCEEDED"));
		assertThat(calls).doesNotContain("fetch with state");
	}

	@Test
	void aCheckThatWouldMissAFieldHookOrItsStateIsRefused() {
		Instrumentation perField = new SimplePerformantInstrumentation() {
			@Override
			public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> fetcher,
					InstrumentationFieldFetchParameters parameters, InstrumentationState state) {
				return fetcher;
			}
		};

		assertThatThrownBy(() -> OperationChecks.around(List.of(perField), List.of(perField)))
				.hasMessageContaining("overrides Instrumentation.instrumentDataFetcher");
		assertThatThrownBy(() -> OperationChecks.around(List.of(), List.of(new FieldLevel(calls))))
				.hasMessageContaining("is not one of");
		assertThatThrownBy(() -> OperationChecks.requireOperationOnly(FieldLevel.class))
				.hasMessageContaining("overrides Instrumentation.createStateAsync, Instrumentation.instrumentDataFetcher:");
		// Shelf's own checks act on the operation only.
		OperationChecks.requireOperationOnly(RequestLimits.DepthLimit.class);
		OperationChecks.requireOperationOnly(CostGuard.Admission.class);
		OperationChecks.requireOperationOnly(DeprecatedUsageMetrics.class);
	}

	private record Check(String name, List<String> calls) implements Instrumentation {
		@Override
		public InstrumentationContext<ExecutionResult> beginExecuteOperation(
				InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
			calls.add(name);
			return SimpleInstrumentationContext.noOp();
		}
	}

	private static final class FieldLevel extends SimplePerformantInstrumentation {

		private static final InstrumentationState STATE = new InstrumentationState() {
		};

		private final List<String> calls;

		FieldLevel(List<String> calls) {
			this.calls = calls;
		}

		@Override
		public CompletableFuture<InstrumentationState> createStateAsync(InstrumentationCreateStateParameters parameters) {
			return CompletableFuture.completedFuture(STATE);
		}

		@Override
		public InstrumentationContext<ExecutionResult> beginExecuteOperation(
				InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
			calls.add("field-level operation");
			return super.beginExecuteOperation(parameters, state);
		}

		@Override
		public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> fetcher, InstrumentationFieldFetchParameters parameters,
				InstrumentationState state) {
			return environment -> {
				calls.add(state == STATE ? "fetch with state" : "fetch without state");
				return fetcher.get(environment);
			};
		}
	}
}
