package dev.shelf.app.graphql;

import java.util.Map;

import graphql.ExecutionInput;
import graphql.execution.preparsed.persisted.PersistedQuerySupport;

/**
 * What decides everything Shelf works out about an operation before running it (its depth, its cost, the deprecated
 * elements it uses), so each is worked out once per distinct operation: the document, the operation chosen in it and
 * the variables. The document is named by its text, or, for a hash-only persisted query — which graphql-java hands
 * over with one marker text for all of them — by its hash, which names one document.
 */
record OperationKey(String document, String operationName, Map<String, Object> variables) {

	static OperationKey of(ExecutionInput input) {
		String query = input.getQuery();
		String document = PersistedQuerySupport.PERSISTED_QUERY_MARKER.equals(query)
				? PersistedQueries.sentHash(input).map(hash -> "sha256:" + hash).orElse(query)
				: query;
		return new OperationKey(document, input.getOperationName(), input.getRawVariables().toMap());
	}
}
