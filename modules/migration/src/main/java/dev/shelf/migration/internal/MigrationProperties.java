package dev.shelf.migration.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the background migration engine ({@code shelf.migration.*}; README "Background migrations").
 *
 * @param runnerEnabled whether this instance runs batches on its own thread (off in tests, which drive the engine)
 * @param pollInterval how often an idle runner looks for work, or for the runner's lock another instance holds
 * @param targetBatchDuration the batch size is tuned after every batch toward this transaction length
 * @param initialBatchSize rows in a job's first batch
 * @param minBatchSize the tuner never goes below this (a split for failures may)
 * @param maxBatchSize the tuner never goes above this
 * @param maxResizeFactor a batch is at most this many times larger, or smaller, than the one before
 * @param maxRowsPerSecond rows per second a job may change at most, 0 for no limit
 * @param lockTimeout {@code lock_timeout} of a batch transaction: a batch gives up rather than queue behind (and
 *     in front of) other sessions' locks
 * @param statementTimeout {@code statement_timeout} of a batch transaction
 * @param maxAttempts attempts of one batch before it is split in halves; a single-row batch that still fails
 *     fails the job
 * @param retryDelay wait before a failed batch is attempted again
 * @param maxFailedBatches failed attempts of a job since it started or was retried, beyond which it fails
 * @param maxPasses walks over the key range before a job whose final check still finds rows fails
 * @param throttleBackoff wait after a pressure check found the database busy
 * @param pressureCheckInterval how often the pressure checks are asked while they find none: at the first step of a
 *     run, then at most once per interval (every step while one finds pressure). Asked before every batch, their
 *     queries of PostgreSQL's statistics views were three of a batch's twelve round trips
 * @param maxLockWaiters more sessions than this waiting for a lock is pressure
 * @param maxTransactionAge a transaction (other than the runner's) open longer than this is pressure: it keeps
 *     vacuum from removing the dead rows a backfill leaves
 * @param maxReplicationLag a replica behind by more than this is pressure
 */
@ConfigurationProperties("shelf.migration")
record MigrationProperties(@DefaultValue("true") boolean runnerEnabled, @DefaultValue("5s") Duration pollInterval,
		@DefaultValue("100ms") Duration targetBatchDuration, @DefaultValue("1000") int initialBatchSize,
		@DefaultValue("100") int minBatchSize, @DefaultValue("50000") int maxBatchSize,
		@DefaultValue("2") double maxResizeFactor, @DefaultValue("0") long maxRowsPerSecond,
		@DefaultValue("1s") Duration lockTimeout, @DefaultValue("15s") Duration statementTimeout,
		@DefaultValue("3") int maxAttempts, @DefaultValue("1s") Duration retryDelay,
		@DefaultValue("20") int maxFailedBatches, @DefaultValue("3") int maxPasses,
		@DefaultValue("5s") Duration throttleBackoff, @DefaultValue("1s") Duration pressureCheckInterval,
		@DefaultValue("5") int maxLockWaiters,
		@DefaultValue("10m") Duration maxTransactionAge, @DefaultValue("30s") Duration maxReplicationLag) {

	MigrationProperties {
		if (minBatchSize < 1 || maxBatchSize < minBatchSize || initialBatchSize < 1) {
			throw new IllegalArgumentException("shelf.migration batch sizes: 1 <= min-batch-size <= max-batch-size");
		}
		if (maxResizeFactor < 1) {
			throw new IllegalArgumentException("shelf.migration.max-resize-factor is at least 1");
		}
		if (maxAttempts < 1) {
			throw new IllegalArgumentException("shelf.migration.max-attempts is at least 1");
		}
	}

	/**
	 * The next batch size: the last one scaled by how far its duration was from the target, by at most
	 * {@link #maxResizeFactor} either way, within the tuner's bounds. A batch that changed fewer than half its rows
	 * (keys migrated already, by a webhook or an earlier pass) says little about what a full batch costs, so it never
	 * makes the next one larger: walking quickly over done keys would otherwise grow the size, and the first batch of
	 * real work after them would hold its locks many times the target. A batch split for failures below the lower
	 * bound grows back from where it is.
	 */
	long nextBatchSize(long size, Duration took, long rowsChanged) {
		double target = targetBatchDuration.toNanos();
		double factor = took.isZero() ? maxResizeFactor : target / took.toNanos();
		factor = Math.max(1 / maxResizeFactor, Math.min(maxResizeFactor, factor));
		if (factor > 1 && rowsChanged * 2 < size) {
			factor = 1;
		}
		long next = Math.round(size * factor);
		if (next == size && factor > 1) {
			next = size + 1; // a batch of one row must be able to grow back
		}
		return Math.max(Math.min(minBatchSize, size), Math.min(maxBatchSize, Math.max(1, next)));
	}
}
