package dev.shelf.migration.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import dev.shelf.migration.BackgroundMigrationStatus;
import dev.shelf.migration.PrimaryKey;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The engine's SQL: jobs, their batch runs and status transitions in the {@code migration} schema, and the two
 * index probes over a job's key that cut its batches. Methods that change a job are called inside the transaction
 * the runner or an operator's command opened.
 */
class JobStore {

	/** "SHBM" in ASCII: the first key of the two-key advisory locks of single jobs ({@link #lock(long)}). */
	private static final int JOB_LOCKS = 0x5348424D;

	private final JdbcClient jdbc;

	JobStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Registers a job declared in code unless a Flyway script (or an earlier start) did. */
	void register(String name, String description, int initialBatchSize) {
		Optional<Long> created = jdbc.sql("""
				INSERT INTO migration.background_migrations (name, description, batch_size)
				VALUES (:name, :description, :batchSize)
				ON CONFLICT (name) DO NOTHING RETURNING id""")
				.param("name", name).param("description", description).param("batchSize", initialBatchSize)
				.query(Long.class).optional();
		if (created.isPresent()) {
			recordTransition(created.get(), null, BackgroundMigrationStatus.PENDING, "startup", "registered");
		}
		else {
			jdbc.sql("""
					UPDATE migration.background_migrations SET description = :description, updated_at = now()
					WHERE name = :name AND description IS DISTINCT FROM :description""")
					.param("name", name).param("description", description).update();
		}
	}

	List<Job> all() {
		return jdbc.sql("SELECT " + Job.COLUMNS + " FROM migration.background_migrations ORDER BY id")
				.query(Job::of).list();
	}

	Optional<Job> find(String name) {
		return jdbc.sql("SELECT " + Job.COLUMNS + " FROM migration.background_migrations WHERE name = :name")
				.param("name", name).query(Job::of).optional();
	}

	/**
	 * The job row, locked until the caller's transaction ends: batches and commands on one job take turns. First a
	 * transaction-level advisory lock of the job, because PostgreSQL queues those fairly: a row lock alone may go to
	 * the runner's next batch rather than to an operator's pause that has waited longer (a waiter that finds the row
	 * updated must follow it to its new version, and the next batch can lock that version first).
	 */
	Optional<Job> lock(long id) {
		jdbc.sql("SELECT pg_advisory_xact_lock(:space, CAST(:id AS integer))").param("space", JOB_LOCKS).param("id", id)
				.query().listOfRows();
		return lockedRow(id);
	}

	/**
	 * {@link #lock(long)} for a batch: the transaction's limits are set by the statement that takes the advisory lock
	 * (its arguments are evaluated in order, so {@code lock_timeout} already applies to that lock), one round trip
	 * fewer per batch.
	 */
	Optional<Job> lockForBatch(long id, Duration lockTimeout, Duration statementTimeout) {
		jdbc.sql("""
				SELECT set_config('lock_timeout', :lock, true), set_config('statement_timeout', :statement, true),
				       pg_advisory_xact_lock(:space, CAST(:id AS integer))""")
				.param("lock", lockTimeout.toMillis() + "ms").param("statement", statementTimeout.toMillis() + "ms")
				.param("space", JOB_LOCKS).param("id", id)
				.query().listOfRows();
		return lockedRow(id);
	}

	private Optional<Job> lockedRow(long id) {
		return jdbc.sql("SELECT " + Job.COLUMNS + " FROM migration.background_migrations WHERE id = :id FOR UPDATE")
				.param("id", id).query(Job::of).optional();
	}

	Optional<Job> lock(String name) {
		Optional<Long> id = jdbc.sql("SELECT id FROM migration.background_migrations WHERE name = :name")
				.param("name", name).query(Long.class).optional();
		return id.flatMap(this::lock);
	}

	/** Moves a (locked) job to another status, and records who did it and why. */
	void transition(Job job, BackgroundMigrationStatus to, String actor, String reason) {
		jdbc.sql("""
				UPDATE migration.background_migrations SET status = :to, updated_at = now(),
				    finished_at = CASE WHEN :to = 'FINISHED' THEN now() END,
				    last_error = CASE WHEN :to = 'FAILED' THEN :reason ELSE last_error END
				WHERE id = :id""")
				.param("id", job.id()).param("to", to.name()).param("reason", reason).update();
		recordTransition(job.id(), job.status(), to, actor, reason);
	}

	private void recordTransition(long id, BackgroundMigrationStatus from, BackgroundMigrationStatus to, String actor,
			String reason) {
		jdbc.sql("""
				INSERT INTO migration.background_migration_transitions (migration_id, from_status, to_status, actor, reason)
				VALUES (:id, :from, :to, :actor, :reason)""")
				.param("id", id).param("from", from == null ? null : from.name()).param("to", to.name())
				.param("actor", actor).param("reason", reason).update();
	}

	/** The first pass of a job over {@code [minKey, maxKey]} (empty when maxKey < minKey). */
	void start(Job job, long minKey, long maxKey, long rowsEstimate) {
		jdbc.sql("""
				UPDATE migration.background_migrations SET min_key = :min, max_key = :max, next_key = :min, pass = 1,
				    rows_total_estimate = :estimate, started_at = coalesce(started_at, now()), updated_at = now()
				WHERE id = :id""")
				.param("id", job.id()).param("min", minKey).param("max", maxKey).param("estimate", rowsEstimate).update();
		transition(job, BackgroundMigrationStatus.RUNNING, "runner",
				"started: keys " + minKey + " to " + maxKey + ", about " + rowsEstimate + " rows to migrate");
	}

	/** Rows were added beyond the pass's last key while it ran: the pass goes on to them. */
	void extend(Job job, long maxKey) {
		jdbc.sql("UPDATE migration.background_migrations SET max_key = :max, updated_at = now() WHERE id = :id")
				.param("id", job.id()).param("max", maxKey).update();
	}

	/** Walks the key range again from its start: the final check found rows the last pass did not migrate. */
	void newPass(Job job, long remainingRows) {
		jdbc.sql("""
				UPDATE migration.background_migrations SET pass = pass + 1, next_key = min_key, updated_at = now()
				WHERE id = :id""").param("id", job.id()).update();
		recordTransition(job.id(), job.status(), job.status(), "runner",
				"pass " + (job.pass() + 1) + ": the final check found " + remainingRows + " rows still to migrate");
	}

	void batchSucceeded(Job job, long fromKey, long toKey, long rows, Duration took, long nextBatchSize,
			Instant startedAt) {
		// The cursor's move and the batch's record in one statement: one round trip per batch fewer.
		int recorded = jdbc.sql("""
				WITH moved AS (
				    UPDATE migration.background_migrations SET next_key = :to, rows_done = rows_done + :rows,
				        batches_done = batches_done + 1, batch_size = :nextSize, consecutive_failures = 0,
				        longest_batch_ms = greatest(longest_batch_ms, :ms), last_batch_at = now(), updated_at = now()
				    WHERE id = :id
				    RETURNING id
				)
				INSERT INTO migration.background_migration_batches (migration_id, pass, from_key, to_key, batch_size,
				                                                    attempt, status, rows, duration_ms, started_at)
				SELECT id, :pass, :from, :to, :size, :attempt, 'SUCCEEDED', :rows, :ms, :startedAt FROM moved""")
				.param("id", job.id()).param("to", toKey).param("rows", rows).param("nextSize", nextBatchSize)
				.param("ms", took.toMillis()).param("pass", job.pass()).param("from", fromKey)
				.param("size", job.batchSize()).param("attempt", job.consecutiveFailures() + 1)
				.param("startedAt", startedAt.atOffset(ZoneOffset.UTC)).update();
		if (recorded != 1) {
			throw new IllegalStateException("background migration " + job.id() + " vanished while its batch ran");
		}
	}

	/** Counts a failed attempt; the caller decides, from the returned job, whether to split or fail. */
	Job batchFailed(Job job, long fromKey, long toKey, Duration took, String error, Instant startedAt) {
		recordBatch(job, fromKey, toKey, "FAILED", 0, took, error, startedAt);
		return jdbc.sql("""
				UPDATE migration.background_migrations SET consecutive_failures = consecutive_failures + 1,
				    failed_batches = failed_batches + 1, last_error = :error, updated_at = now()
				WHERE id = :id""" + " RETURNING " + Job.COLUMNS)
				.param("id", job.id()).param("error", error).query(Job::of).single();
	}

	/** A batch that failed every attempt is cut in half: the next attempt covers the first half of its rows. */
	void split(Job job) {
		jdbc.sql("""
				UPDATE migration.background_migrations SET batch_size = greatest(1, batch_size / 2),
				    consecutive_failures = 0, updated_at = now()
				WHERE id = :id""").param("id", job.id()).update();
	}

	/** An operator's retry: the failure counters start again. */
	void resetFailures(Job job) {
		jdbc.sql("""
				UPDATE migration.background_migrations SET consecutive_failures = 0, failed_batches = 0, updated_at = now()
				WHERE id = :id""").param("id", job.id()).update();
	}

	private void recordBatch(Job job, long fromKey, long toKey, String status, long rows, Duration took, String error,
			Instant startedAt) {
		jdbc.sql("""
				INSERT INTO migration.background_migration_batches (migration_id, pass, from_key, to_key, batch_size,
				                                                    attempt, status, rows, duration_ms, error, started_at)
				VALUES (:id, :pass, :from, :to, :size, :attempt, :status, :rows, :ms, :error, :startedAt)""")
				.param("id", job.id()).param("pass", job.pass()).param("from", fromKey).param("to", toKey)
				.param("size", job.batchSize()).param("attempt", job.consecutiveFailures() + 1)
				.param("status", status).param("rows", rows).param("ms", took.toMillis()).param("error", error)
				.param("startedAt", startedAt.atOffset(ZoneOffset.UTC)).update();
	}

	void throttled(Job job, String reason) {
		jdbc.sql("""
				UPDATE migration.background_migrations SET throttled_reason = :reason, throttled_at = now(), updated_at = now()
				WHERE id = :id""").param("id", job.id()).param("reason", reason).update();
	}

	void notThrottled(Job job) {
		jdbc.sql("UPDATE migration.background_migrations SET throttled_reason = NULL WHERE id = :id AND throttled_reason IS NOT NULL")
				.param("id", job.id()).update();
	}

	/** Rows, and keys walked, by the job's batches of the last minute: its current rate. */
	RecentBatches recentBatches(Job job) {
		return jdbc.sql("""
				SELECT coalesce(sum(rows), 0) AS rows, coalesce(sum(to_key - from_key), 0) AS keys,
				       extract(epoch FROM now() - min(started_at)) AS seconds
				FROM migration.background_migration_batches
				WHERE migration_id = :id AND status = 'SUCCEEDED' AND pass = :pass
				  AND finished_at > now() - interval '60 seconds'""")
				.param("id", job.id()).param("pass", job.pass())
				.query((row, n) -> new RecentBatches(row.getLong("rows"), row.getLong("keys"),
						row.getObject("seconds") == null ? 0 : row.getDouble("seconds")))
				.single();
	}

	record RecentBatches(long rows, long keys, double seconds) {
	}

	/** The smallest and largest key now; {@code [0, -1]} for an empty table. Two probes of the key's index. */
	long[] keyRange(PrimaryKey key) {
		return jdbc.sql("SELECT coalesce(min(" + key.column() + "), 0) AS min, coalesce(max(" + key.column()
				+ "), -1) AS max FROM " + key.table())
				.query((row, n) -> new long[] { row.getLong("min"), row.getLong("max") }).single();
	}

	/**
	 * The exclusive end of the batch that starts at {@code fromKey} and holds at most {@code size} keys: one index
	 * range scan of those keys (a keyset step, never OFFSET). Past the last key, {@code maxKey + 1}.
	 */
	long batchEnd(PrimaryKey key, long fromKey, long maxKey, long size) {
		Long last = jdbc.sql("SELECT max(k) FROM (SELECT " + key.column() + " AS k FROM " + key.table() + " WHERE "
				+ key.column() + " >= :from AND " + key.column() + " <= :max ORDER BY " + key.column()
				+ " LIMIT :size) batch")
				.param("from", fromKey).param("max", maxKey).param("size", size)
				.query((row, n) -> (Long) row.getObject(1)).list().get(0);
		return last == null ? maxKey + 1 : last + 1;
	}

	/** The session's limits for the rest of the caller's transaction (SET LOCAL). */
	void limitTransaction(Duration lockTimeout, Duration statementTimeout) {
		jdbc.sql("SELECT set_config('lock_timeout', :lock, true), set_config('statement_timeout', :statement, true)")
				.param("lock", lockTimeout.toMillis() + "ms").param("statement", statementTimeout.toMillis() + "ms")
				.query().listOfRows();
	}
}
