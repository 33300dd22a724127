package dev.shelf.app.graphql;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.execution.instrumentation.DocumentAndVariables;
import graphql.execution.instrumentation.ExecuteObjectInstrumentationContext;
import graphql.execution.instrumentation.ExecutionStrategyInstrumentationContext;
import graphql.execution.instrumentation.FieldFetchingInstrumentationContext;
import graphql.execution.instrumentation.Instrumentation;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationCreateStateParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionStrategyParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldCompleteParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.execution.instrumentation.parameters.InstrumentationFieldParameters;
import graphql.execution.instrumentation.parameters.InstrumentationReactiveResultsParameters;
import graphql.execution.instrumentation.parameters.InstrumentationValidationParameters;
import graphql.language.Document;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLSchema;
import graphql.validation.ValidationError;

/**
 * The one instrumentation graphql-java calls: Shelf's checks of a whole operation (depth limit, cost admission,
 * deprecated-usage count) run at {@code beginExecuteOperation}, and every other hook goes straight to the
 * instrumentation that needs it (Spring's observation). Spring for GraphQL puts every {@link Instrumentation} bean into
 * a {@link ChainedInstrumentation}, which calls each of them on every hook of every field and allocates a list of
 * their contexts each time — ~600 fields × 7 hooks × 4 instrumentations per page of products with variants, for
 * three instrumentations that only act once per operation (BENCHMARKS.md §3, fifth run).
 * <p>
 * A check is called at {@code beginExecuteOperation} only, without state: {@link #around} refuses one that overrides
 * any other hook or keeps state of its own, which would otherwise be lost silently.
 */
final class OperationChecks implements Instrumentation {

	private final Instrumentation fieldLevel;
	/** The checks and {@link #fieldLevel} in the order Spring ordered the beans: what beginExecuteOperation calls. */
	private final Instrumentation[] operationSteps;

	private OperationChecks(Instrumentation fieldLevel, Instrumentation[] operationSteps) {
		this.fieldLevel = fieldLevel;
		this.operationSteps = operationSteps;
	}

	/**
	 * @param ordered every instrumentation, in the order Spring would chain them
	 * @param checks those of them that act on the whole operation only (each also in {@code ordered})
	 */
	static Instrumentation around(List<Instrumentation> ordered, Collection<? extends Instrumentation> checks) {
		List<Instrumentation> others = new ArrayList<>();
		for (Instrumentation instrumentation : ordered) {
			if (!checks.contains(instrumentation)) {
				others.add(instrumentation);
			}
		}
		for (Instrumentation check : checks) {
			if (!ordered.contains(check)) {
				throw new IllegalArgumentException(check + " is not one of the application's instrumentations");
			}
			requireOperationOnly(check.getClass());
		}
		Instrumentation fieldLevel = switch (others.size()) {
			case 0 -> SimplePerformantInstrumentation.INSTANCE;
			case 1 -> others.get(0);
			default -> new ChainedInstrumentation(others);
		};
		List<Instrumentation> steps = new ArrayList<>();
		for (Instrumentation instrumentation : ordered) {
			Instrumentation step = checks.contains(instrumentation) ? instrumentation : fieldLevel;
			if (!steps.contains(step)) {
				steps.add(step);
			}
		}
		if (!steps.contains(fieldLevel)) {
			steps.add(fieldLevel);
		}
		return new OperationChecks(fieldLevel, steps.toArray(Instrumentation[]::new));
	}

	/** A check may override beginExecuteOperation and nothing else of {@link Instrumentation}. */
	static void requireOperationOnly(Class<?> check) {
		// Every offending hook, in a stable order: reflection lists methods in no particular one.
		SortedSet<String> overridden = new TreeSet<>();
		for (Method hook : Instrumentation.class.getMethods()) {
			if (hook.isDefault() && !hook.getName().equals("beginExecuteOperation")) {
				for (Class<?> type = check; type != SimplePerformantInstrumentation.class && type != Object.class;
						type = type.getSuperclass()) {
					try {
						type.getDeclaredMethod(hook.getName(), hook.getParameterTypes());
						overridden.add("Instrumentation." + hook.getName());
					}
					catch (NoSuchMethodException expected) {
						// not overridden at this level
					}
				}
			}
		}
		if (!overridden.isEmpty()) {
			throw new IllegalArgumentException(check.getName() + " overrides " + String.join(", ", overridden)
					+ ": only beginExecuteOperation of an operation check is called");
		}
	}

	@Override
	public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters,
			InstrumentationState state) {
		List<InstrumentationContext<ExecutionResult>> contexts = new ArrayList<>(operationSteps.length);
		for (Instrumentation step : operationSteps) {
			InstrumentationContext<ExecutionResult> context = step.beginExecuteOperation(parameters,
					step == fieldLevel ? state : null);
			if (context != null) {
				contexts.add(context);
			}
		}
		return new InstrumentationContext<>() {
			@Override
			public void onDispatched() {
				contexts.forEach(InstrumentationContext::onDispatched);
			}

			@Override
			public void onCompleted(ExecutionResult result, Throwable failure) {
				contexts.forEach(context -> context.onCompleted(result, failure));
			}
		};
	}

	// Everything below goes to the field-level instrumentation as it is.

	@Override
	public CompletableFuture<InstrumentationState> createStateAsync(InstrumentationCreateStateParameters parameters) {
		return fieldLevel.createStateAsync(parameters);
	}

	@Override
	@SuppressWarnings("deprecation")
	public InstrumentationState createState(InstrumentationCreateStateParameters parameters) {
		return fieldLevel.createState(parameters);
	}

	@Override
	public InstrumentationContext<ExecutionResult> beginExecution(InstrumentationExecutionParameters parameters,
			InstrumentationState state) {
		return fieldLevel.beginExecution(parameters, state);
	}

	@Override
	public InstrumentationContext<Document> beginParse(InstrumentationExecutionParameters parameters,
			InstrumentationState state) {
		return fieldLevel.beginParse(parameters, state);
	}

	@Override
	public InstrumentationContext<List<ValidationError>> beginValidation(InstrumentationValidationParameters parameters,
			InstrumentationState state) {
		return fieldLevel.beginValidation(parameters, state);
	}

	@Override
	public InstrumentationContext<Void> beginReactiveResults(InstrumentationReactiveResultsParameters parameters,
			InstrumentationState state) {
		return fieldLevel.beginReactiveResults(parameters, state);
	}

	@Override
	public ExecutionStrategyInstrumentationContext beginExecutionStrategy(
			InstrumentationExecutionStrategyParameters parameters, InstrumentationState state) {
		return fieldLevel.beginExecutionStrategy(parameters, state);
	}

	@Override
	public ExecuteObjectInstrumentationContext beginExecuteObject(InstrumentationExecutionStrategyParameters parameters,
			InstrumentationState state) {
		return fieldLevel.beginExecuteObject(parameters, state);
	}

	@Override
	public InstrumentationContext<Object> beginDeferredField(InstrumentationFieldParameters parameters,
			InstrumentationState state) {
		return fieldLevel.beginDeferredField(parameters, state);
	}

	@Override
	public InstrumentationContext<ExecutionResult> beginSubscribedFieldEvent(InstrumentationFieldParameters parameters,
			InstrumentationState state) {
		return fieldLevel.beginSubscribedFieldEvent(parameters, state);
	}

	@Override
	public InstrumentationContext<Object> beginFieldExecution(InstrumentationFieldParameters parameters,
			InstrumentationState state) {
		return fieldLevel.beginFieldExecution(parameters, state);
	}

	@Override
	@SuppressWarnings("deprecation")
	public InstrumentationContext<Object> beginFieldFetch(InstrumentationFieldFetchParameters parameters,
			InstrumentationState state) {
		return fieldLevel.beginFieldFetch(parameters, state);
	}

	@Override
	public FieldFetchingInstrumentationContext beginFieldFetching(InstrumentationFieldFetchParameters parameters,
			InstrumentationState state) {
		return fieldLevel.beginFieldFetching(parameters, state);
	}

	@Override
	public InstrumentationContext<Object> beginFieldCompletion(InstrumentationFieldCompleteParameters parameters,
			InstrumentationState state) {
		return fieldLevel.beginFieldCompletion(parameters, state);
	}

	@Override
	public InstrumentationContext<Object> beginFieldListCompletion(InstrumentationFieldCompleteParameters parameters,
			InstrumentationState state) {
		return fieldLevel.beginFieldListCompletion(parameters, state);
	}

	@Override
	public ExecutionInput instrumentExecutionInput(ExecutionInput input, InstrumentationExecutionParameters parameters,
			InstrumentationState state) {
		return fieldLevel.instrumentExecutionInput(input, parameters, state);
	}

	@Override
	public DocumentAndVariables instrumentDocumentAndVariables(DocumentAndVariables documentAndVariables,
			InstrumentationExecutionParameters parameters, InstrumentationState state) {
		return fieldLevel.instrumentDocumentAndVariables(documentAndVariables, parameters, state);
	}

	@Override
	public GraphQLSchema instrumentSchema(GraphQLSchema schema, InstrumentationExecutionParameters parameters,
			InstrumentationState state) {
		return fieldLevel.instrumentSchema(schema, parameters, state);
	}

	@Override
	public ExecutionContext instrumentExecutionContext(ExecutionContext context,
			InstrumentationExecutionParameters parameters, InstrumentationState state) {
		return fieldLevel.instrumentExecutionContext(context, parameters, state);
	}

	@Override
	public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> fetcher, InstrumentationFieldFetchParameters parameters,
			InstrumentationState state) {
		return fieldLevel.instrumentDataFetcher(fetcher, parameters, state);
	}

	@Override
	public CompletableFuture<ExecutionResult> instrumentExecutionResult(ExecutionResult result,
			InstrumentationExecutionParameters parameters, InstrumentationState state) {
		return fieldLevel.instrumentExecutionResult(result, parameters, state);
	}
}
