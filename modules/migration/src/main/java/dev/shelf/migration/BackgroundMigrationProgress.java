package dev.shelf.migration;

import java.time.Duration;
import java.time.Instant;

/**
 * What operators see of a background migration.
 *
 * @param fractionDone the share of the key range walked in the current pass, 0 to 1 (1 once finished)
 * @param rowsPerSecond rows changed per second over the last minute of batches
 * @param eta the time left at the rate of keys walked over the last minute; null when unknown (no recent batch)
 * @param longestBatch the longest batch transaction so far: the longest any lock taken by a batch was held
 * @param throttledReason why the last batch waited for the database, or null
 */
public record BackgroundMigrationProgress(String name, String description, BackgroundMigrationStatus status,
		long rowsDone, Long rowsTotalEstimate, double fractionDone, double rowsPerSecond, Duration eta,
		long batchSize, long batchesDone, long failedBatches, long pass, Duration longestBatch, String lastError,
		String throttledReason, Instant throttledAt, Instant createdAt, Instant startedAt, Instant lastBatchAt,
		Instant finishedAt, boolean implemented) {
}
