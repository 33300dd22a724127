package dev.shelf.app.graphql;

import java.util.List;

import graphql.ExecutionResult;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.AbortExecutionException;
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

	static final class DepthLimit extends MaxQueryDepthInstrumentation {

		DepthLimit(int maxDepth) {
			super(maxDepth);
		}

		@Override
		protected AbortExecutionException mkAbortException(int depth, int maxDepth) {
			return new AbortExecutionException(List.of(ErrorCodes.error(ErrorCodes.MAX_DEPTH_EXCEEDED,
					"The query is " + depth + " levels deep; the maximum is " + maxDepth)));
		}
	}
}
