package dev.shelf.migration;

import java.util.List;

/**
 * A batched background migration, declared in code by the module that owns its tables (a Spring bean implementing
 * this interface) — the engine's only way to know a job. The engine walks {@link #primaryKey()} in batches of
 * consecutive keys, never by OFFSET, and calls {@link #migrateBatch} once per batch inside one short transaction it
 * opens (with {@code lock_timeout} and {@code statement_timeout} set) and in which it also advances the job's cursor:
 * a batch's work and the record that it was done commit together or not at all, so a process killed at any moment
 * neither loses nor repeats a batch.
 * <p>
 * Rules for an implementation: a batch is set-based SQL inside PostgreSQL over the keys {@code [fromKey, toKey)}
 * (no row-by-row round trips, nothing loaded into memory); it is idempotent (running it again over migrated rows
 * changes nothing, e.g. {@code WHERE product_id IS NULL}), because a pass may be repeated; and it uses the
 * application's {@code DataSource} (a {@code JdbcClient} bean), so that it joins the engine's transaction.
 */
public interface BackgroundMigration {

	/** Unique and stable across releases, {@code <module>.<what>}; a Flyway script may register it by this name. */
	String name();

	/** One sentence for operators: what the job changes and why. */
	String description();

	/** The key the batches walk: a unique, indexed {@code bigint} column of the job's table. */
	PrimaryKey primaryKey();

	/**
	 * Migrates the rows whose key is in {@code [fromKey, toKey)}, in the engine's transaction.
	 *
	 * @return how many rows it changed (0 when they were all migrated already)
	 */
	long migrateBatch(long fromKey, long toKey);

	/**
	 * The final check, after the cursor passed the last key: how many rows still need the job (e.g. a row an old
	 * instance wrote behind the cursor). Zero finishes the job; otherwise the engine walks the keys again, and fails
	 * the job visibly when rows remain after its last pass. Make it cheap: a partial index of exactly the rows still
	 * to migrate turns it into an index-only count.
	 */
	long remainingRows();

	/**
	 * How many rows the job will change, estimated when it starts: the denominator of its progress. By default the
	 * final check's count, which is exact at that moment.
	 */
	default long estimateRows() {
		return remainingRows();
	}

	/** Runs in the transaction that marks the job finished, after the final check found nothing left. */
	default void finish() {
	}

	/** Names of jobs that must have finished before this one starts (e.g. a rewrite that needs a backfill's ids). */
	default List<String> runsAfter() {
		return List.of();
	}
}
