package dev.shelf.app.graphql;

import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.AbortExecutionException;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimpleInstrumentationContext;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.language.OperationDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import reactor.core.publisher.Mono;

/**
 * Limits that stop a hostile or broken query before any resolver runs: the document's length (checked before
 * parsing; graphql-java's own 15,000-token parser limit stays as a second line) and the selection depth (checked
 * after validation, before execution).
 *
 * @param maxDepth deepest selection nesting accepted; 15 leaves room for GraphiQL's introspection query
 * @param maxDocumentCharacters longest query document accepted
 */
@ConfigurationProperties("shelf.graphql")
record RequestLimits(int maxDepth, int maxDocumentCharacters) {

	static final class DocumentSizeLimit implements WebGraphQlInterceptor {

		private final int maxCharacters;

		DocumentSizeLimit(int maxCharacters) {
			this.maxCharacters = maxCharacters;
		}

		@Override
		public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
			int length = request.getDocument().length();
			if (length <= maxCharacters) {
				return chain.next(request);
			}
			ExecutionResult rejected = ExecutionResult.newExecutionResult()
					.addError(ErrorCodes.error(ErrorCodes.MAX_DOCUMENT_SIZE_EXCEEDED, "The query document has "
							+ length + " characters; the maximum is " + maxCharacters))
					.build();
			return Mono.just(new WebGraphQlResponse(
					new DefaultExecutionGraphQlResponse(request.toExecutionInput(), rejected)));
		}
	}

	/**
	 * graphql-java's depth check walks the whole operation on every request (~3 % of the JVM's CPU on a page of
	 * products, BENCHMARKS.md §3, fifth run). An operation's depth depends only on its document, operation name and
	 * variables ({@code @skip}/{@code @include}), and a frontend sends the same few: one that passed is remembered by
	 * its {@link OperationKey}, as the cost and deprecated-usage checks do (not mutations, whose variables differ every
	 * time). One that failed is checked again each time, so the refusal is graphql-java's.
	 */
	static final class DepthLimit extends MaxQueryDepthInstrumentation {

		private final Cache<OperationKey, Boolean> passed = Caffeine.newBuilder().maximumSize(10_000).build();

		DepthLimit(int maxDepth) {
			super(maxDepth);
		}

		@Override
		public InstrumentationContext<ExecutionResult> beginExecuteOperation(
				InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
			ExecutionContext execution = parameters.getExecutionContext();
			ExecutionInput input = execution.getExecutionInput();
			if (execution.getOperationDefinition().getOperation() == OperationDefinition.Operation.MUTATION
					|| input.getQuery().isBlank()) {
				return super.beginExecuteOperation(parameters, state);
			}
			OperationKey operation = OperationKey.of(input);
			if (passed.getIfPresent(operation) != null) {
				return SimpleInstrumentationContext.noOp();
			}
			InstrumentationContext<ExecutionResult> context = super.beginExecuteOperation(parameters, state);
			passed.put(operation, Boolean.TRUE);
			return context;
		}

		@Override
		protected AbortExecutionException mkAbortException(int depth, int maxDepth) {
			return new AbortExecutionException(List.of(ErrorCodes.error(ErrorCodes.MAX_DEPTH_EXCEEDED,
					"The query is " + depth + " levels deep; the maximum is " + maxDepth)));
		}
	}
}
