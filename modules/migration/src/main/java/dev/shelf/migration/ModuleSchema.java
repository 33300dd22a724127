package dev.shelf.migration;

import java.util.regex.Pattern;

/**
 * A module's own PostgreSQL schema, built by the Flyway scripts under {@code db/migration/<name>} in that module's
 * jar. Each module declares one as a bean; {@code @Order} on the bean gives the migration order (dependencies
 * first), because a later module's script may rely on an earlier module's finished tables.
 */
public record ModuleSchema(String name) {

	private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z][a-z_]*");

	public ModuleSchema {
		if (name == null || !SCHEMA_NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("A module schema name is lower-case letters and '_', got: " + name);
		}
	}

	/** Where the module keeps its scripts; the folder is named after the schema so each module has its own. */
	public String scriptLocation() {
		return "classpath:db/migration/" + name;
	}
}
