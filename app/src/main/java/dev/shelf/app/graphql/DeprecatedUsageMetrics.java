package dev.shelf.app.graphql;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.analysis.QueryTraverser;
import graphql.analysis.QueryVisitorFieldEnvironment;
import graphql.analysis.QueryVisitorStub;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.language.Argument;
import graphql.language.OperationDefinition;
import graphql.schema.GraphQLEnumType;
import graphql.schema.GraphQLEnumValueDefinition;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts, per client, the operations that use a deprecated field ({@code Product.oldField}) or send a deprecated input
 * field ({@code ProductInput.oldField}) or enum value ({@code ProductStatus.OLD_VALUE}): the telemetry that decides
 * when a deprecated element may be removed (docs/graphql/EVOLUTION.md). Once per operation and element, whatever the
 * number of items in the response, so the count reads as "operations that would break". Counted when the operation
 * has run: one that another instrumentation aborted (the depth limit) never reached a resolver and breaks nothing.
 * <p>
 * Finding the deprecated elements walks the whole operation; a frontend sends the same few queries with the same
 * few variables over and over, so the answer is kept per document, operation and variables (not for mutations,
 * whose variables differ every time): the walk was ~3 % of the JVM's CPU for a page of products (BENCHMARKS.md §3).
 */
class DeprecatedUsageMetrics extends SimplePerformantInstrumentation {

	private static final Logger log = LoggerFactory.getLogger(DeprecatedUsageMetrics.class);

	static final String METRIC = "shelf.graphql.deprecated.usage";

	/** The header is any caller's claim; past this many names a new one is tagged "other", not a new time series. */
	static final int MAX_CLIENTS = 100;

	private final MeterRegistry registry;
	private final Set<String> clientsSeen = ConcurrentHashMap.newKeySet();
	private final Cache<OperationKey, Set<String>> deprecatedByOperation = Caffeine.newBuilder().maximumSize(10_000).build();

	DeprecatedUsageMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public InstrumentationContext<ExecutionResult> beginExecuteOperation(
			InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
		ExecutionContext execution = parameters.getExecutionContext();
		return SimpleInstrumentationContext.whenCompleted((result, failure) -> {
			// Runs inside the operation's own future: a failure here would fail the client's request.
			try {
				count(execution);
			}
			catch (RuntimeException e) {
				log.warn("Could not count deprecated usage of an operation", e);
			}
		});
	}

	private void count(ExecutionContext execution) {
		ExecutionInput input = execution.getExecutionInput();
		Set<String> deprecated = execution.getOperationDefinition().getOperation() == OperationDefinition.Operation.MUTATION
				? deprecatedElementsUsed(execution)
				: deprecatedByOperation.get(OperationKey.of(input), operation -> Set.copyOf(deprecatedElementsUsed(execution)));
		if (deprecated.isEmpty()) {
			return;
		}
		String client = clientTag(execution.getGraphQLContext().getOrDefault(ClientName.class, ClientName.UNKNOWN));
		for (String coordinate : deprecated) {
			Counter.builder(METRIC)
					.description("Operations that used a deprecated field, input field or enum value, per client")
					.tag("field", coordinate)
					.tag("client", client)
					.register(registry)
					.increment();
		}
	}

	private String clientTag(ClientName client) {
		String name = client.value();
		if (clientsSeen.contains(name) || (clientsSeen.size() < MAX_CLIENTS && clientsSeen.add(name))) {
			return name;
		}
		return "other";
	}

	/** Schema coordinates ({@code Type.field}, {@code Input.field}, {@code Enum.VALUE}) of deprecated elements used. */
	private static Set<String> deprecatedElementsUsed(ExecutionContext execution) {
		Set<String> used = new TreeSet<>();
		QueryTraverser.newQueryTraverser()
				.schema(execution.getGraphQLSchema())
				.document(execution.getDocument())
				.operationName(execution.getOperationDefinition().getName())
				.coercedVariables(execution.getCoercedVariables())
				.build()
				.visitPreOrder(new QueryVisitorStub() {
					@Override
					public void visitField(QueryVisitorFieldEnvironment environment) {
						GraphQLFieldDefinition field = environment.getFieldDefinition();
						if (field.isDeprecated()) {
							used.add(environment.getFieldsContainer().getName() + "." + field.getName());
						}
						// Only the arguments the client wrote: a default value is the schema's choice, not theirs.
						Map<String, Object> values = environment.getArguments();
						for (Argument argument : environment.getField().getArguments()) {
							addDeprecatedInputs(field.getArgument(argument.getName()).getType(),
									values.get(argument.getName()), used);
						}
					}
				});
		return used;
	}

	private static void addDeprecatedInputs(GraphQLInputType type, Object value, Set<String> used) {
		if (value == null) {
			return;
		}
		GraphQLType unwrapped = GraphQLTypeUtil.unwrapNonNull(type);
		if (unwrapped instanceof GraphQLList list && value instanceof Iterable<?> items) {
			for (Object item : items) {
				addDeprecatedInputs((GraphQLInputType) list.getWrappedType(), item, used);
			}
		}
		else if (unwrapped instanceof GraphQLInputObjectType object && value instanceof Map<?, ?> fields) {
			fields.forEach((name, fieldValue) -> {
				GraphQLInputObjectField field = object.getField((String) name);
				// A field with a default is always in the coerced value, whether the client sent it or not.
				if (field.isDeprecated() && !field.hasSetDefaultValue()) {
					used.add(object.getName() + "." + field.getName());
				}
				addDeprecatedInputs(field.getType(), fieldValue, used);
			});
		}
		else if (unwrapped instanceof GraphQLEnumType enumType) {
			for (GraphQLEnumValueDefinition enumValue : enumType.getValues()) {
				if (enumValue.isDeprecated() && Objects.equals(enumValue.getValue(), value)) {
					used.add(enumType.getName() + "." + enumValue.getName());
				}
			}
		}
	}
}
