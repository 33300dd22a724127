package dev.shelf.migration.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;

import dev.shelf.migration.BackgroundMigrationStatus;

/** A row of {@code migration.background_migrations}: a job's whole state. */
record Job(long id, String name, String description, BackgroundMigrationStatus status, Long minKey, Long maxKey,
		Long nextKey, long pass, long batchSize, long rowsDone, Long rowsTotalEstimate, long batchesDone,
		long consecutiveFailures, long failedBatches, long longestBatchMs, String lastError, String throttledReason,
		Instant throttledAt, Instant createdAt, Instant startedAt, Instant lastBatchAt, Instant finishedAt) {

	static final String COLUMNS = "id, name, description, status, min_key, max_key, next_key, pass, batch_size, "
			+ "rows_done, rows_total_estimate, batches_done, consecutive_failures, failed_batches, longest_batch_ms, "
			+ "last_error, throttled_reason, throttled_at, created_at, started_at, last_batch_at, finished_at";

	static Job of(ResultSet row, int rowNumber) throws SQLException {
		return new Job(row.getLong("id"), row.getString("name"), row.getString("description"),
				BackgroundMigrationStatus.valueOf(row.getString("status")), (Long) row.getObject("min_key"),
				(Long) row.getObject("max_key"), (Long) row.getObject("next_key"), row.getLong("pass"),
				row.getLong("batch_size"), row.getLong("rows_done"), (Long) row.getObject("rows_total_estimate"),
				row.getLong("batches_done"), row.getLong("consecutive_failures"), row.getLong("failed_batches"),
				row.getLong("longest_batch_ms"), row.getString("last_error"), row.getString("throttled_reason"),
				instant(row, "throttled_at"), instant(row, "created_at"), instant(row, "started_at"),
				instant(row, "last_batch_at"), instant(row, "finished_at"));
	}

	private static Instant instant(ResultSet row, String column) throws SQLException {
		OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
		return value == null ? null : value.toInstant();
	}

	boolean started() {
		return minKey != null;
	}

	/** Whether the cursor has passed the last key of the pass. */
	boolean passWalked() {
		return nextKey > maxKey;
	}

	/** The share of the pass's key range behind the cursor. */
	double fractionWalked() {
		if (status == BackgroundMigrationStatus.FINISHED) {
			return 1;
		}
		if (!started() || maxKey < minKey) {
			return 0;
		}
		return Math.min(1, (double) (nextKey - minKey) / ((double) maxKey - minKey + 1));
	}
}
