package dev.shelf.app.graphql;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
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

	/**
	 * The operation's requested cost, and what counting the actual cost of its responses needs, both worked out
	 * once per document: the fields that can cost anything (scalars never do), whether each is a connection, grouped
	 * by the object types they apply to. Counting a response then only visits its objects, lists and connections.
	 */
	Costing costing(ExecutableNormalizedOperation operation) {
		if (operation.getOperation() == OperationDefinition.Operation.MUTATION) {
			long requested = (long) MUTATION * operation.getTopLevelFields().size();
			return new Costing(requested, data -> data == null ? 0 : requested);
		}
		long requested = operation.getTopLevelFields().stream().mapToLong(this::requested).sum();
		Selection top = selection(operation.getTopLevelFields());
		return new Costing(requested, data -> data == null ? 0 : top.actual(data));
	}

	record Costing(long requested, ActualCost actual) {
	}

	/** The actual cost of a response. */
	@FunctionalInterface
	interface ActualCost {

		/** @param data the response's {@code data}; {@code null} (nothing ran) costs nothing */
		long of(Map<String, Object> data);
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

	private Selection selection(List<ExecutableNormalizedField> children) {
		Map<ExecutableNormalizedField, CostedField> costed = new IdentityHashMap<>();
		for (ExecutableNormalizedField child : children) {
			CostedField field = costedField(child);
			if (field != null) {
				costed.put(child, field);
			}
		}
		List<List<CostedField>> byObjectType = new ArrayList<>();
		for (String objectType : objectTypes(children)) {
			List<CostedField> fields = new ArrayList<>();
			for (ExecutableNormalizedField child : children) {
				if (costed.containsKey(child) && child.getObjectTypeNames().contains(objectType)) {
					fields.add(costed.get(child));
				}
			}
			if (!fields.isEmpty()) { // an object type whose fields are all free costs nothing below the object
				byObjectType.add(fields);
			}
		}
		return new Selection(byObjectType);
	}

	/** {@code null} for a field that costs nothing whatever it returns. */
	private CostedField costedField(ExecutableNormalizedField field) {
		if (!(GraphQLTypeUtil.unwrapAll(field.getType(schema)) instanceof GraphQLCompositeType named)) {
			return null;
		}
		List<CostedField> nodes = new ArrayList<>();
		List<Edges> edges = new ArrayList<>();
		if (isConnection(named)) {
			for (ExecutableNormalizedField child : field.getChildren()) {
				if (child.getName().equals("nodes")) {
					nodes.add(costedField(child));
				}
				else if (child.getName().equals("edges")) {
					edges.add(new Edges(child.getResultKey(), child.getChildren().stream()
							.filter(edgeField -> edgeField.getName().equals("node")).map(this::costedField).toList()));
				}
			}
		}
		boolean list = GraphQLTypeUtil.isList(GraphQLTypeUtil.unwrapNonNull(field.getType(schema)));
		return new CostedField(field.getResultKey(), list, !list && isConnection(named), selection(field.getChildren()),
				nodes, edges);
	}

	/**
	 * A selection's costing fields, by object type (types with none left out): an object costs its most expensive
	 * group, and nothing below it when there is no group.
	 */
	private record Selection(List<List<CostedField>> byObjectType) {

		/** Whether no field below can cost anything: its objects need not be looked into. */
		boolean free() {
			return byObjectType.isEmpty();
		}

		long actual(Map<?, ?> object) {
			long most = 0;
			for (List<CostedField> fields : byObjectType) {
				long sum = 0;
				for (CostedField field : fields) {
					sum += field.actual(object.get(field.resultKey()));
				}
				most = Math.max(most, sum);
			}
			return most;
		}
	}

	private record Edges(String resultKey, List<CostedField> nodes) {
	}

	/**
	 * A field that can cost something, with what the schema says of its values, so counting a response does not ask
	 * each value what it is, and does not look into objects whose fields are all free (a variant's {@code price}).
	 */
	private record CostedField(String resultKey, boolean list, boolean connection, Selection selection,
			List<CostedField> nodes, List<Edges> edges) {

		long actual(Object value) {
			if (value == null) {
				return 0;
			}
			if (list && value instanceof Collection<?> items) {
				long sum = 0;
				for (Object item : items) {
					sum += item == null ? 0 : object(item);
				}
				return sum;
			}
			if (connection && value instanceof Map<?, ?> page) {
				return CONNECTION + items(page);
			}
			return object(value);
		}

		private long object(Object value) {
			if (selection.free()) {
				return OBJECT;
			}
			return OBJECT + (value instanceof Map<?, ?> object ? selection.actual(object) : 0);
		}

		/** The items the connection returned, each costing its node: the larger of {@code nodes} and {@code edges}. */
		private long items(Map<?, ?> page) {
			long fromNodes = 0;
			for (CostedField field : nodes) {
				fromNodes = Math.max(fromNodes, field.actual(page.get(field.resultKey())));
			}
			long fromEdges = 0;
			for (Edges field : edges) {
				if (page.get(field.resultKey()) instanceof Collection<?> items) {
					for (Object edge : items) {
						if (edge instanceof Map<?, ?> edgeObject) {
							long node = 0;
							for (CostedField nodeField : field.nodes()) {
								node = Math.max(node, nodeField.actual(edgeObject.get(nodeField.resultKey())));
							}
							fromEdges += node;
						}
					}
				}
			}
			return Math.max(fromNodes, fromEdges);
		}
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
