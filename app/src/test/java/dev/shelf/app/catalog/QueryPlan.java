package dev.shelf.app.catalog;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A PostgreSQL plan as {@code EXPLAIN (VERBOSE, FORMAT JSON)} gives it, walked node by node. */
record QueryPlan(JsonNode root) {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	static QueryPlan parse(String explainJson) {
		return new QueryPlan(JSON.readTree(explainJson).path(0).path("Plan"));
	}

	List<JsonNode> nodes() {
		List<JsonNode> nodes = new ArrayList<>();
		collect(root, nodes);
		return nodes;
	}

	/** {@code schema.table} of every table read by a sequential scan. */
	List<String> sequentiallyScannedTables() {
		return nodes().stream()
				.filter(node -> node.path("Node Type").asString().equals("Seq Scan"))
				.map(node -> node.path("Schema").asString() + "." + node.path("Relation Name").asString())
				.toList();
	}

	/** Every index the plan reads, by name (index names are unique within a schema). */
	List<String> indexes() {
		return nodes().stream().filter(node -> node.has("Index Name")).map(node -> node.path("Index Name").asString())
				.toList();
	}

	boolean sorts() {
		return nodes().stream().anyMatch(node -> node.path("Node Type").asString().endsWith("Sort"));
	}

	/** The plan tree on one line, e.g. {@code Limit(Index Scan Backward products_shop_title_idx)}. */
	@Override
	public String toString() {
		return describe(root);
	}

	private static String describe(JsonNode node) {
		StringBuilder text = new StringBuilder(node.path("Node Type").asString());
		if (node.has("Scan Direction") && node.path("Scan Direction").asString().equals("Backward")) {
			text.append(" Backward");
		}
		if (node.has("Index Name")) {
			text.append(' ').append(node.path("Index Name").asString());
		}
		else if (node.has("Relation Name")) {
			text.append(' ').append(node.path("Relation Name").asString());
		}
		List<String> children = new ArrayList<>();
		node.path("Plans").forEach(child -> children.add(describe(child)));
		if (!children.isEmpty()) {
			text.append('(').append(String.join(", ", children)).append(')');
		}
		return text.toString();
	}

	private static void collect(JsonNode node, List<JsonNode> into) {
		into.add(node);
		node.path("Plans").forEach(child -> collect(child, into));
	}
}
