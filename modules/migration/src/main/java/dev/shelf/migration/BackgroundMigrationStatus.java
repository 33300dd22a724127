package dev.shelf.migration;

/** Where a background migration stands. */
public enum BackgroundMigrationStatus {
	/** Registered; the runner starts it when the jobs it runs after have finished. */
	PENDING,
	/** Batches are being run (or wait for the database to be less busy, or for the rate limit). */
	RUNNING,
	/** Stopped by an operator; resumes at its cursor. */
	PAUSED,
	/** Stopped because batches kept failing; an operator retries it after fixing the cause. */
	FAILED,
	/** Every row migrated and the final check passed; contract scripts gated on it may run. */
	FINISHED
}
