package dev.shelf.migration.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.shelf.migration.BackgroundMigration;
import dev.shelf.migration.BackgroundMigrationStatus;
import dev.shelf.migration.DatabasePressureCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One step of the engine at a time: start a pending job, run one batch of the running one, or end its pass. Each
 * step that changes data is one transaction in which the job's row is locked and re-read first, so a pause, a
 * second runner or a step of a process that died cannot make a batch run twice or be skipped: a batch's work and
 * the cursor move commit together.
 */
class BatchRunner {

	private static final Logger log = LoggerFactory.getLogger(BatchRunner.class);
	private static final int MAX_ERROR_LENGTH = 2000;

	/** What a step did, and how long to wait before the next. */
	record Step(Kind kind, Duration delay) {

		enum Kind {
			/** No job has work. */
			IDLE,
			/** Something was done (or attempted); call again after {@link #delay}. */
			WORKED,
			/** The database is under pressure; ask again after {@link #delay}. */
			THROTTLED
		}

		static final Step IDLE = new Step(Kind.IDLE, Duration.ZERO);
		static final Step AGAIN = new Step(Kind.WORKED, Duration.ZERO);

		static Step after(Duration wait) {
			return new Step(Kind.WORKED, wait.isNegative() ? Duration.ZERO : wait);
		}
	}

	private final JobStore store;
	private final Map<String, BackgroundMigration> jobs;
	private final List<DatabasePressureCheck> checks;
	private final TransactionTemplate transactions;
	private final MigrationProperties properties;
	private final MigrationMetrics metrics;
	/** Whether the next step asks the pressure checks whatever the interval: a new run, or pressure found last time. */
	private volatile boolean pressureCheckDue = true;
	/** {@link System#nanoTime()} of the last pressure checks that found none. */
	private volatile long pressureCheckedAt;

	BatchRunner(JobStore store, Map<String, BackgroundMigration> jobs, List<DatabasePressureCheck> checks,
			TransactionTemplate transactions, MigrationProperties properties, MigrationMetrics metrics) {
		this.store = store;
		this.jobs = jobs;
		this.checks = checks;
		this.transactions = transactions;
		this.properties = properties;
		this.metrics = metrics;
	}

	Step step() {
		Optional<Job> next = nextJob(store.all());
		if (next.isEmpty()) {
			return Step.IDLE;
		}
		Job job = next.get();
		BackgroundMigration migration = jobs.get(job.name());
		if (job.status() == BackgroundMigrationStatus.PENDING) {
			start(job, migration);
			return Step.AGAIN;
		}
		if (pressureChecksDue()) {
			for (DatabasePressureCheck check : checks) {
				Optional<String> pressure = check.pressure();
				if (pressure.isPresent()) {
					log.info("Background migration {} waits {}: {}", job.name(), properties.throttleBackoff(),
							pressure.get());
					store.throttled(job, check.name() + ": " + pressure.get());
					metrics.throttled(job.name(), check.name());
					pressureCheckDue = true;
					return new Step(Step.Kind.THROTTLED, properties.throttleBackoff());
				}
			}
			pressureCheckDue = false;
			pressureCheckedAt = System.nanoTime();
			if (job.throttledReason() != null) {
				store.notThrottled(job);
			}
		}
		return job.passWalked() ? endPass(job, migration) : batch(job, migration);
	}

	/** The first step of a run asks the pressure checks; the next ones do when the interval has passed. */
	void newRun() {
		pressureCheckDue = true;
	}

	private boolean pressureChecksDue() {
		return pressureCheckDue || System.nanoTime() - pressureCheckedAt >= properties.pressureCheckInterval().toNanos();
	}

	/**
	 * The oldest job with work that this instance can run: one at a time, in registration order, each after the
	 * jobs it runs after. A job this release has no code for (registered by a newer one) is left alone.
	 */
	private Optional<Job> nextJob(List<Job> all) {
		for (Job job : all) {
			boolean active = job.status() == BackgroundMigrationStatus.PENDING
					|| job.status() == BackgroundMigrationStatus.RUNNING;
			if (active && jobs.containsKey(job.name()) && prerequisitesFinished(jobs.get(job.name()), all)) {
				return Optional.of(job);
			}
		}
		return Optional.empty();
	}

	private static boolean prerequisitesFinished(BackgroundMigration migration, List<Job> all) {
		return migration.runsAfter().stream().allMatch(name -> all.stream()
				.anyMatch(job -> job.name().equals(name) && job.status() == BackgroundMigrationStatus.FINISHED));
	}

	private void start(Job job, BackgroundMigration migration) {
		long[] range = store.keyRange(migration.primaryKey());
		long estimate = migration.estimateRows();
		inTransaction(job, BackgroundMigrationStatus.PENDING, locked -> {
			store.start(locked, range[0], range[1], estimate);
			log.info("Background migration {} started: keys {} to {}, about {} rows", job.name(), range[0], range[1],
					estimate);
		});
	}

	/** The cursor passed the last key: go on to rows added meanwhile, or check, then finish or walk again. */
	private Step endPass(Job job, BackgroundMigration migration) {
		long maxKey = store.keyRange(migration.primaryKey())[1];
		if (maxKey > job.maxKey()) {
			inTransaction(job, BackgroundMigrationStatus.RUNNING, locked -> store.extend(locked, maxKey));
			return Step.AGAIN;
		}
		long remaining = migration.remainingRows();
		inTransaction(job, BackgroundMigrationStatus.RUNNING, locked -> {
			if (remaining == 0) {
				limitTransaction();
				migration.finish();
				store.transition(locked, BackgroundMigrationStatus.FINISHED, "runner",
						"final check: no row left to migrate after pass " + locked.pass());
				log.info("Background migration {} finished: {} rows in {} batches", job.name(), locked.rowsDone(),
						locked.batchesDone());
			}
			else if (locked.pass() < properties.maxPasses()) {
				store.newPass(locked, remaining);
				log.warn("Background migration {}: {} rows still to migrate after pass {}; walking the keys again",
						job.name(), remaining, locked.pass());
			}
			else {
				fail(locked, remaining + " rows still to migrate after " + locked.pass()
						+ " passes: something keeps writing rows the old way (a previous release still running?)");
			}
		});
		return Step.AGAIN;
	}

	private Step batch(Job job, BackgroundMigration migration) {
		long fromKey = job.nextKey();
		long toKey = store.batchEnd(migration.primaryKey(), fromKey, job.maxKey(), job.batchSize());
		Instant startedAt = Instant.now();
		long started = System.nanoTime();
		try {
			Long rows = transactions.execute(status -> {
				// The batch's duration (what the tuner aims and "longest batch" reports) starts with its transaction's
				// first statement, not with the wait for a pooled connection, during which it holds no lock.
				long began = System.nanoTime();
				Job locked = store.lockForBatch(job.id(), properties.lockTimeout(), properties.statementTimeout())
						.orElseThrow();
				if (locked.status() != BackgroundMigrationStatus.RUNNING || locked.pass() != job.pass()
						|| !locked.nextKey().equals(fromKey)) {
					return null; // paused, or moved on by someone else, since it was read
				}
				long changed = migration.migrateBatch(fromKey, toKey);
				Duration took = Duration.ofNanos(System.nanoTime() - began);
				store.batchSucceeded(locked, fromKey, toKey, changed, took,
						properties.nextBatchSize(locked.batchSize(), took, changed), startedAt);
				return changed;
			});
			Duration took = Duration.ofNanos(System.nanoTime() - started);
			if (rows == null) {
				return Step.AGAIN;
			}
			metrics.batch(job.name(), "succeeded", took, rows);
			return Step.after(pace(rows, took));
		}
		catch (RuntimeException e) {
			Duration took = Duration.ofNanos(System.nanoTime() - started);
			String error = describe(e);
			log.warn("Background migration {}: batch [{}, {}) failed (attempt {}): {}", job.name(), fromKey, toKey,
					job.consecutiveFailures() + 1, error);
			metrics.batch(job.name(), "failed", took, 0);
			inTransaction(job, BackgroundMigrationStatus.RUNNING, locked -> afterFailure(locked, fromKey, toKey, took,
					error, startedAt));
			return Step.after(properties.retryDelay());
		}
	}

	/** Retry the batch; after {@code maxAttempts} split it; fail the job when it cannot be split or failed too often. */
	private void afterFailure(Job locked, long fromKey, long toKey, Duration took, String error, Instant startedAt) {
		Job counted = store.batchFailed(locked, fromKey, toKey, took, error, startedAt);
		if (counted.failedBatches() > properties.maxFailedBatches()) {
			fail(counted, counted.failedBatches() + " failed batch attempts (more than " + properties.maxFailedBatches()
					+ "); last, keys [" + fromKey + ", " + toKey + "): " + error);
		}
		else if (counted.consecutiveFailures() >= properties.maxAttempts()) {
			if (counted.batchSize() > 1 && toKey - fromKey > 1) {
				store.split(counted);
				metrics.batch(locked.name(), "split", null, 0);
				log.warn("Background migration {}: batch [{}, {}) failed {} times; splitting it ({} rows per batch now)",
						locked.name(), fromKey, toKey, counted.consecutiveFailures(), Math.max(1, counted.batchSize() / 2));
			}
			else {
				fail(counted, "the batch of key " + fromKey + " failed " + counted.consecutiveFailures()
						+ " times and cannot be split further: " + error);
			}
		}
	}

	private void fail(Job job, String reason) {
		store.transition(job, BackgroundMigrationStatus.FAILED, "runner", reason);
		log.error("Background migration {} failed: {}", job.name(), reason);
	}

	/** How long to wait so that the job stays under the configured rate. */
	private Duration pace(long rows, Duration took) {
		if (properties.maxRowsPerSecond() <= 0 || rows == 0) {
			return Duration.ZERO;
		}
		Duration allowed = Duration.ofNanos(rows * 1_000_000_000L / properties.maxRowsPerSecond());
		return allowed.minus(took);
	}

	/**
	 * Runs {@code change} in a transaction on the freshly locked job, unless it is no longer in {@code expected}
	 * status or has moved on (another runner, an operator) since it was read.
	 */
	private void inTransaction(Job job, BackgroundMigrationStatus expected, java.util.function.Consumer<Job> change) {
		transactions.executeWithoutResult(status -> {
			Job locked = store.lock(job.id()).orElseThrow();
			boolean unchanged = locked.status() == expected && locked.pass() == job.pass()
					&& java.util.Objects.equals(locked.nextKey(), job.nextKey());
			if (unchanged) {
				change.accept(locked);
			}
		});
	}

	private void limitTransaction() {
		store.limitTransaction(properties.lockTimeout(), properties.statementTimeout());
	}

	private static String describe(Throwable e) {
		Throwable root = e;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = root.getClass().getSimpleName() + ": " + root.getMessage();
		return message.length() > MAX_ERROR_LENGTH ? message.substring(0, MAX_ERROR_LENGTH) : message;
	}
}
