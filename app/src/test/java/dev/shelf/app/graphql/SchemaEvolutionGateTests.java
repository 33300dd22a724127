package dev.shelf.app.graphql;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The gate lets a schema change through only if it breaks no client, or finishes add → deprecate → remove. */
class SchemaEvolutionGateTests {

	@Test
	void removingAFieldThatWasNotDeprecatedIsForbidden() {
		assertThat(SchemaEvolutionGate.forbiddenChanges(
				"type Query { a: String b: String }",
				"type Query { a: String }"))
				.singleElement().asString().contains("Query.b");
	}

	@Test
	void removingAFieldTheSnapshotDeprecatedIsAllowed() {
		assertThat(SchemaEvolutionGate.forbiddenChanges(
				"type Query { a: String b: String @deprecated(reason: \"Use a.\") }",
				"type Query { a: String }"))
				.isEmpty();
	}

	@Test
	void aTypeLeftBehindByARemovedDeprecatedFieldMayGoWithIt() {
		assertThat(SchemaEvolutionGate.forbiddenChanges(
				"type Query { a: String old: Legacy @deprecated(reason: \"Use a.\") } type Legacy { x: String }",
				"type Query { a: String }"))
				.isEmpty();
	}

	@Test
	void changingAFieldsTypeIsForbidden() {
		assertThat(SchemaEvolutionGate.forbiddenChanges(
				"type Query { a: String }",
				"type Query { a: Int }"))
				.singleElement().asString().contains("Query.a", "String", "Int");
	}

	@Test
	void makingANonNullFieldNullableIsForbidden() {
		assertThat(SchemaEvolutionGate.forbiddenChanges(
				"type Query { a: String! }",
				"type Query { a: String }"))
				.isNotEmpty();
	}

	@Test
	void makingANullableArgumentNonNullIsForbidden() {
		assertThat(SchemaEvolutionGate.forbiddenChanges(
				"type Query { a(first: Int): String }",
				"type Query { a(first: Int!): String }"))
				.singleElement().asString().contains("Query.a", "Int!");
	}

	@Test
	void addingARequiredArgumentIsForbidden() {
		assertThat(SchemaEvolutionGate.forbiddenChanges(
				"type Query { a: String }",
				"type Query { a(first: Int!): String }"))
				.isNotEmpty();
	}

	@Test
	void addingFieldsTypesAndOptionalArgumentsIsAllowed() {
		assertThat(SchemaEvolutionGate.forbiddenChanges(
				"type Query { a: String }",
				"type Query { a(first: Int): String b: Thing } type Thing { id: ID! }"))
				.isEmpty();
	}

	@Test
	void removingAnEnumValueThatWasNotDeprecatedIsForbidden() {
		assertThat(SchemaEvolutionGate.forbiddenChanges(
				"type Query { status: Status } enum Status { ACTIVE DRAFT }",
				"type Query { status: Status } enum Status { ACTIVE }"))
				.singleElement().asString().contains("Status", "DRAFT");
	}

	@Test
	void removingAnEnumValueTheSnapshotDeprecatedIsAllowed() {
		assertThat(SchemaEvolutionGate.forbiddenChanges(
				"type Query { status: Status } enum Status { ACTIVE DRAFT @deprecated(reason: \"Use ACTIVE.\") }",
				"type Query { status: Status } enum Status { ACTIVE }"))
				.isEmpty();
	}

	@Test
	void removingAnInputFieldThatWasNotDeprecatedIsForbidden() {
		assertThat(SchemaEvolutionGate.forbiddenChanges(
				"type Query { a(input: In): String } input In { x: String y: String }",
				"type Query { a(input: In): String } input In { x: String }"))
				.singleElement().asString().contains("In.y");
	}

	@Test
	void removingAnInputFieldTheSnapshotDeprecatedIsAllowed() {
		assertThat(SchemaEvolutionGate.forbiddenChanges(
				"type Query { a(input: In): String } input In { x: String y: String @deprecated(reason: \"Use x.\") }",
				"type Query { a(input: In): String } input In { x: String }"))
				.isEmpty();
	}

	@Test
	void changingATypeReachableOnlyThroughAnInterfaceIsForbidden() {
		// graphql-java's diff alone never looks at Product here: clients reach it only via `node { ... on Product }`.
		String snapshot = "type Query { node: Node } interface Node { id: ID! } "
				+ "type Product implements Node { id: ID! title: String }";

		assertThat(SchemaEvolutionGate.forbiddenChanges(snapshot,
				"type Query { node: Node } interface Node { id: ID! } type Product implements Node { id: ID! title: Int }"))
				.singleElement().asString().contains("Product.title");
		assertThat(SchemaEvolutionGate.forbiddenChanges(snapshot,
				"type Query { node: Node } interface Node { id: ID! }"))
				.singleElement().asString().contains("Product");
	}
}
