package dev.shelf.catalog.graphql;

import java.util.AbstractList;
import java.util.List;
import java.util.function.Function;

/**
 * A Relay cursor connection as the GraphQL schema spells it: {@code edges { cursor node }}, {@code nodes},
 * {@code pageInfo}. Each {@code XxxConnection} type of the schema is served by one of these.
 * <p>
 * Cursors are encoded when read, not when the page is made: most queries select {@code nodes} only, and a page of 50
 * products with their variants would otherwise encode ~190 cursors nobody asked for.
 */
record Connection<T>(List<Edge<T>> edges, List<T> nodes, PageInfo<T> pageInfo) {

	record Edge<T>(String cursor, T node) {
	}

	/** {@code startCursor} and {@code endCursor} are those of the first and the last item, {@code null} when empty. */
	record PageInfo<T>(boolean hasNextPage, boolean hasPreviousPage, List<T> items, Function<T, String> cursor) {

		public String startCursor() {
			return items.isEmpty() ? null : cursor.apply(items.get(0));
		}

		public String endCursor() {
			return items.isEmpty() ? null : cursor.apply(items.get(items.size() - 1));
		}
	}

	static <T> Connection<T> of(List<T> items, Function<T, String> cursor, boolean hasPreviousPage,
			boolean hasNextPage) {
		List<Edge<T>> edges = new AbstractList<>() {

			@Override
			public Edge<T> get(int index) {
				T item = items.get(index);
				return new Edge<>(cursor.apply(item), item);
			}

			@Override
			public int size() {
				return items.size();
			}
		};
		return new Connection<>(edges, items, new PageInfo<>(hasNextPage, hasPreviousPage, items, cursor));
	}
}
