package dev.shelf.app.graphql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.shelf.billing.RequestFingerprint;
import graphql.language.AstPrinter;
import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fingerprint of a GraphQL-over-HTTP request body whose selected operation is a mutation: SHA-256 of the
 * document printed in graphql-java's compact form (whitespace, comments and commas do not count), the operation
 * name, and the variables as JSON with every object's keys sorted (their order does not count). Empty for anything
 * else — a query or subscription, a body that is not JSON, a document that does not parse, an operation that cannot
 * be selected: those execute (or are rejected by GraphQL) as if no key had been sent.
 */
final class MutationFingerprint {

	private MutationFingerprint() {
	}

	static Optional<RequestFingerprint> of(JsonMapper json, byte[] requestBody) {
		JsonNode request;
		Document document;
		try {
			request = json.readTree(requestBody);
			JsonNode query = request.get("query");
			if (query == null || !query.isString()) {
				return Optional.empty();
			}
			document = Parser.parse(query.asString());
		}
		catch (JacksonException | InvalidSyntaxException e) {
			return Optional.empty();
		}
		JsonNode operationName = request.get("operationName");
		String name = operationName != null && operationName.isString() ? operationName.asString() : "";
		Optional<OperationDefinition> operation = selected(document, name);
		if (operation.isEmpty() || operation.get().getOperation() != OperationDefinition.Operation.MUTATION) {
			return Optional.empty();
		}
		// No variables, null and {} are the same request.
		JsonNode variables = request.get("variables");
		JsonNode canonicalVariables = variables == null || variables.isNull() ? json.createObjectNode()
				: canonical(json, variables);
		return Optional.of(RequestFingerprint.of(AstPrinter.printAstCompact(document), name,
				json.writeValueAsString(canonicalVariables)));
	}

	/** As GraphQL selects it: by name, or the document's only operation when no name is given. */
	private static Optional<OperationDefinition> selected(Document document, String name) {
		List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
		if (name.isEmpty()) {
			return operations.size() == 1 ? Optional.of(operations.get(0)) : Optional.empty();
		}
		return operations.stream().filter(operation -> name.equals(operation.getName())).findFirst();
	}

	private static JsonNode canonical(JsonMapper json, JsonNode node) {
		if (node.isObject()) {
			List<Map.Entry<String, JsonNode>> properties = new ArrayList<>(node.properties());
			properties.sort(Map.Entry.comparingByKey());
			ObjectNode sorted = json.createObjectNode();
			properties.forEach(property -> sorted.set(property.getKey(), canonical(json, property.getValue())));
			return sorted;
		}
		if (node.isArray()) {
			ArrayNode elements = json.createArrayNode();
			node.values().forEach(element -> elements.add(canonical(json, element)));
			return elements;
		}
		return node;
	}
}
