package dev.shelf.catalog.graphql;

import java.util.List;
import java.util.function.Function;

/**
 * A Relay cursor connection as the GraphQL schema spells it: {@code edges { cursor node }}, {@code nodes},
 * {@code pageInfo}. Each {@code XxxConnection} type of the schema is served by one of these.
 */
record Connection<T>(List<Edge<T>> edges, List<T> nodes, PageInfo pageInfo) {

	record Edge<T>(String cursor, T node) {
	}

	record PageInfo(boolean hasNextPage, boolean hasPreviousPage, String startCursor, String endCursor) {
	}

	static <T> Connection<T> of(List<T> items, Function<T, String> cursor, boolean hasPreviousPage,
			boolean hasNextPage) {
		List<Edge<T>> edges = items.stream().map(item -> new Edge<>(cursor.apply(item), item)).toList();
		return new Connection<>(edges, items, new PageInfo(hasNextPage, hasPreviousPage,
				edges.isEmpty() ? null : edges.get(0).cursor(), edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor()));
	}
}
