package dev.shelf.catalog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;

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

	/**
	 * One batch of a module's {@code shop/redact}: deletes at most {@code batchSize} of the shop's rows from the first
	 * of {@code tables} (children before parents) that still has any, in one statement. Rows are picked by their
	 * physical position ({@code ctid}) through each table's {@code shop_id}-led index, so the statement suits tables
	 * without an id column. An array rather than {@code IN (subquery)}: with the batch size a parameter, PostgreSQL's
	 * generic plan for {@code IN} may hash-join against the whole table.
	 *
	 * @param tables schema-qualified names, constants of the calling module (never input)
	 * @return the rows deleted, or {@link #NONE} when every table is empty of the shop
	 */
	public static ErasedRows deleteFirstBatch(JdbcClient jdbc, List<String> tables, ShopId shop, int batchSize) {
		for (String table : tables) {
			int deleted = jdbc.sql("DELETE FROM " + table + " WHERE ctid = ANY (ARRAY(SELECT ctid FROM " + table
					+ " WHERE shop_id = :shop LIMIT :batch))")
					.param("shop", shop.value()).param("batch", batchSize).update();
			if (deleted > 0) {
				return of(table, deleted);
			}
		}
		return NONE;
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
