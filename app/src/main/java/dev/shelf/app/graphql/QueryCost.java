package dev.shelf.app.graphql;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import graphql.language.OperationDefinition;
import graphql.normalized.ExecutableNormalizedField;
import graphql.normalized.ExecutableNormalizedOperation;
import graphql.schema.GraphQLCompositeType;
import graphql.schema.GraphQLOutputType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;

/**
 * The calculated cost of a query, by the rules Shopify's Admin API users know:
 * <ul>
 * <li>a scalar or enum field costs 0;
 * <li>an object (or interface, union) field costs 1 plus its selections;
 * <li>a connection ({@code XxxConnection}) costs 2 plus, per item it may return ({@code first} or {@code last}, else
 * {@value #UNSIZED_PAGE}), the cost of one node (1 plus its selections); {@code edges.node} and {@code nodes} are the
 * same items, so selecting both does not cost twice; {@code pageInfo} and {@code cursor} are free;
 * <li>another list of objects costs its selections once per item: {@code ids} given, or {@code first}, else one;
 * <li>each top-level mutation field costs {@value #MUTATION}, whatever its payload selects;
 * <li>fields of interfaces and unions count once per item: the most expensive of the possible types.
 * </ul>
 * The <em>requested</em> cost is computed from the document and variables before anything runs; the <em>actual</em>
 * cost counts the items the response really holds, so a page shorter than {@code first} costs less.
 */
final class QueryCost {

	static final int MUTATION = 10;
	static final int CONNECTION = 2;
	static final int OBJECT = 1;
	/** A connection without {@code first}/{@code last} returns at most a full page. */
	static final int UNSIZED_PAGE = 250;

	private final GraphQLSchema schema;

	QueryCost(GraphQLSchema schema) {
		this.schema = schema;
	}

	long requested(ExecutableNormalizedOperation operation) {
		if (operation.getOperation() == OperationDefinition.Operation.MUTATION) {
			return (long) MUTATION * operation.getTopLevelFields().size();
		}
		return operation.getTopLevelFields().stream().mapToLong(this::requested).sum();
	}

	/** @param data the response's {@code data}; {@code null} (nothing ran) costs nothing */
	long actual(ExecutableNormalizedOperation operation, Map<String, Object> data) {
		if (data == null) {
			return 0;
		}
		if (operation.getOperation() == OperationDefinition.Operation.MUTATION) {
			return requested(operation);
		}
		return actual(operation.getTopLevelFields(), data);
	}

	private long requested(ExecutableNormalizedField field) {
		GraphQLOutputType type = field.getType(schema);
		GraphQLType named = GraphQLTypeUtil.unwrapAll(type);
		if (!(named instanceof GraphQLCompositeType)) {
			return 0;
		}
		if (isConnection(named)) {
			return CONNECTION + pageSize(field) * requestedPerItem(field);
		}
		long items = GraphQLTypeUtil.isList(GraphQLTypeUtil.unwrapNonNull(type)) ? listSize(field) : 1;
		return items * (OBJECT + requestedChildren(field.getChildren()));
	}

	private long requestedPerItem(ExecutableNormalizedField connection) {
		long perItem = 0;
		for (ExecutableNormalizedField child : connection.getChildren()) {
			if (child.getName().equals("nodes")) {
				perItem = Math.max(perItem, OBJECT + requestedChildren(child.getChildren()));
			}
			else if (child.getName().equals("edges")) {
				for (ExecutableNormalizedField edgeField : child.getChildren()) {
					if (edgeField.getName().equals("node")) {
						perItem = Math.max(perItem, OBJECT + requestedChildren(edgeField.getChildren()));
					}
				}
			}
		}
		return perItem;
	}

	/** The most expensive of the object types the selections may meet. */
	private long requestedChildren(List<ExecutableNormalizedField> children) {
		long most = 0;
		for (String objectType : objectTypes(children)) {
			long sum = 0;
			for (ExecutableNormalizedField child : children) {
				if (child.getObjectTypeNames().contains(objectType)) {
					sum += requested(child);
				}
			}
			most = Math.max(most, sum);
		}
		return most;
	}

	private long actual(List<ExecutableNormalizedField> children, Map<?, ?> object) {
		long most = 0;
		for (String objectType : objectTypes(children)) {
			long sum = 0;
			for (ExecutableNormalizedField child : children) {
				if (child.getObjectTypeNames().contains(objectType) && object.containsKey(child.getResultKey())) {
					sum += actual(child, object.get(child.getResultKey()));
				}
			}
			most = Math.max(most, sum);
		}
		return most;
	}

	private long actual(ExecutableNormalizedField field, Object value) {
		GraphQLType named = GraphQLTypeUtil.unwrapAll(field.getType(schema));
		if (!(named instanceof GraphQLCompositeType) || value == null) {
			return 0;
		}
		if (value instanceof Collection<?> items) {
			return items.stream().mapToLong(item -> item == null ? 0 : actualObject(field, item)).sum();
		}
		if (isConnection(named) && value instanceof Map<?, ?> connection) {
			return CONNECTION + actualItems(field, connection);
		}
		return actualObject(field, value);
	}

	private long actualObject(ExecutableNormalizedField field, Object value) {
		return OBJECT + (value instanceof Map<?, ?> object ? actual(field.getChildren(), object) : 0);
	}

	/** The items the connection returned, each costing its node: the larger of {@code nodes} and {@code edges}. */
	private long actualItems(ExecutableNormalizedField connection, Map<?, ?> value) {
		long nodes = 0;
		long edges = 0;
		for (ExecutableNormalizedField child : connection.getChildren()) {
			if (!(value.get(child.getResultKey()) instanceof Collection<?> items)) {
				continue;
			}
			if (child.getName().equals("nodes")) {
				nodes = Math.max(nodes, actual(child, items));
			}
			else if (child.getName().equals("edges")) {
				for (Object edge : items) {
					if (edge instanceof Map<?, ?> edgeObject) {
						edges += child.getChildren().stream().filter(e -> e.getName().equals("node"))
								.mapToLong(node -> actual(node, edgeObject.get(node.getResultKey()))).max().orElse(0);
					}
				}
			}
		}
		return Math.max(nodes, edges);
	}

	private static boolean isConnection(GraphQLType named) {
		return named instanceof GraphQLCompositeType composite && composite.getName().endsWith("Connection");
	}

	private static long pageSize(ExecutableNormalizedField connection) {
		Object first = connection.getResolvedArguments().get("first");
		Object last = connection.getResolvedArguments().get("last");
		Object size = first != null ? first : last;
		return size instanceof Number number ? Math.max(0, number.longValue()) : UNSIZED_PAGE;
	}

	private static long listSize(ExecutableNormalizedField field) {
		Object ids = field.getResolvedArguments().get("ids");
		if (ids instanceof Collection<?> list) {
			return list.size();
		}
		return field.getResolvedArguments().get("first") instanceof Number first ? Math.max(0, first.longValue()) : 1;
	}

	private static Set<String> objectTypes(List<ExecutableNormalizedField> children) {
		Set<String> types = new LinkedHashSet<>();
		children.forEach(child -> types.addAll(child.getObjectTypeNames()));
		return types;
	}
}
