package dev.shelf.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rows a module deleted or anonymised for a privacy request, by {@code schema.table}: what the request's record
 * says was done. Every module answers a redaction with one of these.
 */
public record ErasedRows(Map<String, Long> byTable) {

	public static final ErasedRows NONE = new ErasedRows(Map.of());

	public ErasedRows {
		byTable = Collections.unmodifiableMap(new LinkedHashMap<>(byTable));
	}

	public static ErasedRows of(String table, long rows) {
		return rows == 0 ? NONE : new ErasedRows(Map.of(table, rows));
	}

	public long total() {
		return byTable.values().stream().mapToLong(Long::longValue).sum();
	}

	public boolean isEmpty() {
		return total() == 0;
	}

	public ErasedRows plus(ErasedRows other) {
		Map<String, Long> sum = new LinkedHashMap<>(byTable);
		other.byTable.forEach((table, rows) -> sum.merge(table, rows, Long::sum));
		return new ErasedRows(sum);
	}
}
