package dev.shelf.migration;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The background migration engine's operations, for operators (GraphQL, the {@code migrations} command) and tests.
 * Jobs themselves are {@link BackgroundMigration} beans; the engine runs them on its own thread.
 */
public interface BackgroundMigrations {

	/** Every registered job, oldest first. */
	List<BackgroundMigrationProgress> progress();

	Optional<BackgroundMigrationProgress> progress(String name);

	/** Stops a pending or running job after its current batch. */
	Change pause(String name, String actor);

	/** Continues a paused job at its cursor. */
	Change resume(String name, String actor);

	/** Runs a failed job again from its cursor, with its failure count reset. */
	Change retry(String name, String actor);

	/**
	 * Runs batches on the calling thread until no job has work left, another instance holds the runner's lock, the
	 * database is under pressure, or the time limit passes. The engine's own thread does the same continuously.
	 *
	 * @return whether every job is idle (finished, paused, failed or waiting on a job that is)
	 */
	boolean runUntilIdle(Duration timeLimit);

	/** The outcome of an operator's command: the job as it is now, or why the command was refused. */
	record Change(BackgroundMigrationProgress migration, String refusal, String code) {

		public static Change done(BackgroundMigrationProgress migration) {
			return new Change(migration, null, null);
		}

		public static Change refused(BackgroundMigrationProgress migration, String code, String refusal) {
			return new Change(migration, refusal, code);
		}

		public boolean succeeded() {
			return refusal == null;
		}
	}
}
