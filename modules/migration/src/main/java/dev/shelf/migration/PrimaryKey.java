package dev.shelf.migration;

import java.util.regex.Pattern;

/**
 * The table and key column a {@link BackgroundMigration} is walked by: {@code bigint}, unique and indexed (the
 * primary key), so the engine finds each batch's end with one index range scan of at most a batch of keys.
 */
public record PrimaryKey(String table, String column) {

	private static final Pattern QUALIFIED_TABLE = Pattern.compile("[a-z][a-z_]*\\.[a-z][a-z0-9_]*");
	private static final Pattern COLUMN = Pattern.compile("[a-z][a-z0-9_]*");

	public PrimaryKey {
		// Both end up in SQL text: only plain identifiers, so nothing else can.
		if (table == null || !QUALIFIED_TABLE.matcher(table).matches()) {
			throw new IllegalArgumentException("A key's table is schema.table in lower case, got: " + table);
		}
		if (column == null || !COLUMN.matcher(column).matches()) {
			throw new IllegalArgumentException("A key's column is a lower-case identifier, got: " + column);
		}
	}

	/** The usual case: the table's {@code id}. */
	public static PrimaryKey idOf(String table) {
		return new PrimaryKey(table, "id");
	}
}
