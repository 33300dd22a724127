package dev.shelf.app.graphql;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import graphql.language.TypeDefinition;
import graphql.parser.Parser;
import graphql.schema.diff.DiffCategory;
import graphql.schema.diff.DiffEvent;
import graphql.schema.diff.DiffLevel;
import graphql.schema.diff.SchemaDiff;
import graphql.schema.diff.SchemaDiffSet;
import graphql.schema.diff.reporting.CapturingReporter;

/**
 * Decides whether a schema may replace the committed snapshot (DESIGN.md §3: add, use, deprecate, remove). Every
 * change graphql-java's {@link SchemaDiff} calls breaking is forbidden, except removing a field, input field or enum
 * value the snapshot already marked {@code @deprecated}: that one went through the whole path.
 */
final class SchemaEvolutionGate {

	private SchemaEvolutionGate() {
	}

	/**
	 * The breaking changes from {@code snapshotSdl} to {@code currentSdl} that skipped deprecation, described for
	 * people; empty when the change may go in. Both are complete schemas as printed (root types named
	 * {@code Query}/{@code Mutation}, no {@code schema} block).
	 */
	static List<String> forbiddenChanges(String snapshotSdl, String currentSdl) {
		Set<String> forbidden = new LinkedHashSet<>();
		forbidden.addAll(forbiddenChanges(SchemaDiffSet.diffSetFromSdl(snapshotSdl, currentSdl)));
		// SchemaDiff walks from the root types and never from an interface to its implementations: a type clients
		// reach only through `node(id) { ... on Foo }` would change unchecked. Walk again from each such type.
		for (String type : typesTheDiffDoesNotReach(snapshotSdl)) {
			String root = "\nschema { query: " + type + " }\n";
			forbidden.addAll(forbiddenChanges(SchemaDiffSet.diffSetFromSdl(snapshotSdl + root, currentSdl + root)));
		}
		return List.copyOf(forbidden);
	}

	private static List<String> forbiddenChanges(SchemaDiffSet diffSet) {
		return diff(diffSet).stream()
				.filter(event -> event.getLevel() == DiffLevel.BREAKING)
				.filter(event -> event.getCategory() != DiffCategory.DEPRECATION_REMOVED)
				.map(SchemaEvolutionGate::describe)
				.toList();
	}

	/** Diffing the snapshot with itself visits exactly the types the real diff can visit. */
	private static Set<String> typesTheDiffDoesNotReach(String snapshotSdl) {
		Set<String> reached = diff(SchemaDiffSet.diffSetFromSdl(snapshotSdl, snapshotSdl)).stream()
				.map(DiffEvent::getTypeName)
				.collect(Collectors.toSet());
		return Parser.parse(snapshotSdl).getDefinitionsOfType(TypeDefinition.class).stream()
				.map(TypeDefinition::getName)
				.filter(name -> !reached.contains(name))
				.collect(Collectors.toCollection(LinkedHashSet::new));
	}

	private static List<DiffEvent> diff(SchemaDiffSet diffSet) {
		CapturingReporter reporter = new CapturingReporter();
		new SchemaDiff().diffSchema(diffSet, reporter);
		return reporter.getEvents();
	}

	private static String describe(DiffEvent event) {
		return event.getTypeName() + ": " + event.getReasonMsg();
	}
}
