package dev.shelf.migration;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

import dev.shelf.testing.BackgroundMigrationJobs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The engine on real PostgreSQL, driven from the test's thread ({@code runUntilIdle}) with a job over a table of its
 * own: keyset batches that cover every key once, size tuning, pause and resume at the cursor, retries, splits down to
 * the failing row, a visible failure and its retry, throttling, one runner at a time, and the finalize gate.
 */
@SpringBootTest(properties = { "shelf.migration.runner-enabled=false", "shelf.migration.retry-delay=0s",
		"shelf.migration.max-attempts=2", "shelf.migration.max-failed-batches=6", "shelf.migration.min-batch-size=10",
		"shelf.migration.max-batch-size=1000", "shelf.migration.target-batch-duration=10s",
		"shelf.migration.throttle-backoff=0s", "shelf.migration.pressure-check-interval=1h" })
@Import(BackgroundMigrationEngineTests.TestJobs.class)
class BackgroundMigrationEngineTests {

	private static final int ROWS = 5_000;
	private static final Duration LIMIT = Duration.ofSeconds(60);
	private static final String JOB = DoubleValues.NAME;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	BackgroundMigrations migrations;

	@Autowired
	DoubleValues job;

	@Autowired
	TogglePressure pressure;

	@Autowired
	TransactionTemplate transactions;

	@BeforeEach
	void freshTableAndJob() {
		jdbc.sql("CREATE SCHEMA IF NOT EXISTS engine_test").update();
		jdbc.sql("DROP TABLE IF EXISTS engine_test.items").update();
		jdbc.sql("""
				CREATE TABLE engine_test.items (id bigint PRIMARY KEY, value bigint NOT NULL, doubled bigint,
				                                migrations bigint NOT NULL DEFAULT 0, poisoned boolean NOT NULL DEFAULT false)""")
				.update();
		// Odd keys only: batches are cut by keys present, not by arithmetic on the key range.
		jdbc.sql("INSERT INTO engine_test.items (id, value) SELECT 2 * n - 1, n FROM generate_series(1, :rows) n")
				.param("rows", ROWS).update();
		job.transientFailures.set(0);
		job.afterBatch = from -> {
		};
		pressure.reason.set(null);
		BackgroundMigrationJobs.restart(jdbc, JOB, 100);
	}

	@Test
	void everyRowIsMigratedExactlyOnceByBatchesThatCoverEveryKey() {
		assertThat(migrations.runUntilIdle(LIMIT)).isTrue();

		assertThat(migrations.progress(JOB).orElseThrow()).satisfies(progress -> {
			assertThat(progress.status()).isEqualTo(BackgroundMigrationStatus.FINISHED);
			assertThat(progress.rowsDone()).isEqualTo(ROWS);
			assertThat(progress.rowsTotalEstimate()).isEqualTo(ROWS);
			assertThat(progress.fractionDone()).isEqualTo(1.0);
			assertThat(progress.finishedAt()).isNotNull();
		});
		assertThat(jdbc.sql("SELECT count(*) FROM engine_test.items WHERE doubled = value * 2 AND migrations = 1")
				.query(Long.class).single()).isEqualTo(ROWS);
		List<Map<String, Object>> batches = succeededBatches();
		assertThat(batches.get(0).get("from_key")).isEqualTo(1L);
		for (int i = 1; i < batches.size(); i++) {
			assertThat(batches.get(i).get("from_key")).as("batch %d starts where the one before ended", i)
					.isEqualTo(batches.get(i - 1).get("to_key"));
		}
		assertThat((Long) batches.get(batches.size() - 1).get("to_key")).isEqualTo(2L * ROWS);
		assertThat(transitions()).containsExactly("PENDING>RUNNING", "RUNNING>FINISHED");
	}

	@Test
	void fastBatchesGrowTowardTheTargetDurationByAtMostTwiceAndNotBeyondTheMaximum() {
		assertThat(migrations.runUntilIdle(LIMIT)).isTrue();

		// Each batch takes far less than the 10 s target: 100, 200, 400, 800, then the maximum, 1,000.
		assertThat(succeededBatches()).extracting(batch -> batch.get("batch_size"))
				.startsWith(100L, 200L, 400L, 800L, 1000L);
	}

	@Test
	void batchesOverKeysMigratedAlreadyDoNotGrowTheBatchSize() {
		// The first 2,000 rows done before the job starts (say, by webhooks): those batches are quick, and say nothing
		// about the cost of a batch of real work.
		jdbc.sql("UPDATE engine_test.items SET doubled = value * 2 WHERE id < 4000").update();

		assertThat(migrations.runUntilIdle(LIMIT)).isTrue();

		assertThat(succeededBatches()).extracting(batch -> batch.get("batch_size"))
				.startsWith(100L, 100L, 100L).contains(200L, 400L);
		assertThat(succeededBatches()).filteredOn(batch -> (Long) batch.get("rows") == 0)
				.extracting(batch -> batch.get("batch_size")).containsOnly(100L);
	}

	@Test
	void aPausedJobStopsAfterTheBatchInFlightAndResumesAtItsCursor() throws Exception {
		AtomicReference<BackgroundMigrationProgress> midway = new AtomicReference<>();
		AtomicReference<CompletableFuture<BackgroundMigrations.Change>> pausing = new AtomicReference<>();
		AtomicInteger batches = new AtomicInteger();
		job.afterBatch = from -> {
			if (batches.incrementAndGet() == 3) {
				midway.set(migrations.progress(JOB).orElseThrow());
				// The operator's pause waits for this batch's lock on the job, and wins it before the next batch.
				pausing.set(CompletableFuture.supplyAsync(() -> migrations.pause(JOB, "test-operator")));
				await().atMost(LIMIT).until(() -> jdbc.sql("""
						SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'
						AND strpos(query, 'pg_advisory_xact_lock') > 0""").query(Long.class).single() == 1);
			}
		};

		assertThat(migrations.runUntilIdle(LIMIT)).as("a paused job is idle").isTrue();

		assertThat(pausing.get().get(10, TimeUnit.SECONDS).succeeded()).isTrue();
		BackgroundMigrationProgress paused = migrations.progress(JOB).orElseThrow();
		assertThat(paused.status()).isEqualTo(BackgroundMigrationStatus.PAUSED);
		assertThat(paused.rowsDone()).as("batches of 100, 200 and 400 rows").isEqualTo(700);
		assertThat(migrated()).isEqualTo(700);
		assertThat(midway.get().status()).isEqualTo(BackgroundMigrationStatus.RUNNING);
		assertThat(midway.get().fractionDone()).isStrictlyBetween(0.0, 1.0);
		assertThat(midway.get().eta()).isNotNull();

		assertThat(migrations.resume(JOB, "test-operator").migration().status()).isEqualTo(BackgroundMigrationStatus.RUNNING);
		assertThat(migrations.runUntilIdle(LIMIT)).isTrue();

		assertThat(BackgroundMigrationJobs.status(jdbc, JOB)).isEqualTo("FINISHED");
		assertThat(jdbc.sql("SELECT count(*) FROM engine_test.items WHERE migrations = 1").query(Long.class).single())
				.isEqualTo(ROWS);
		assertThat(transitions()).containsExactly("PENDING>RUNNING", "RUNNING>PAUSED",
				"PAUSED>RUNNING", "RUNNING>FINISHED");
	}

	@Test
	void commandsThatDoNotFitTheStatusAreRefusedAndChangeNothing() {
		assertThat(migrations.resume(JOB, "test-operator")).satisfies(change -> {
			assertThat(change.succeeded()).isFalse();
			assertThat(change.code()).isEqualTo("INVALID_STATUS");
			assertThat(change.migration().status()).isEqualTo(BackgroundMigrationStatus.PENDING);
		});
		assertThat(migrations.retry(JOB, "test-operator").code()).isEqualTo("INVALID_STATUS");
		assertThat(migrations.pause("no.such-job", "test-operator").code()).isEqualTo("NOT_FOUND");
	}

	@Test
	void aFailedAttemptIsRolledBackAndRetriedWithoutSplitting() {
		job.transientFailures.set(1);

		assertThat(migrations.runUntilIdle(LIMIT)).isTrue();

		assertThat(BackgroundMigrationJobs.status(jdbc, JOB)).isEqualTo("FINISHED");
		assertThat(jdbc.sql("SELECT count(*) FROM engine_test.items WHERE migrations = 1").query(Long.class).single())
				.as("the failed attempt's update was rolled back").isEqualTo(ROWS);
		assertThat(jdbc.sql("""
				SELECT status || ':' || attempt || ':' || batch_size FROM migration.background_migration_batches
				WHERE migration_id = (SELECT id FROM migration.background_migrations WHERE name = :job) ORDER BY id LIMIT 2""")
				.param("job", JOB).query(String.class).list()).containsExactly("FAILED:1:100", "SUCCEEDED:2:100");
	}

	@Test
	void aBatchThatKeepsFailingIsSplitDownToItsBadRowThenTheJobFailsVisiblyAndARetryFinishesIt() {
		jdbc.sql("UPDATE engine_test.items SET poisoned = true WHERE id = 1").update();
		BackgroundMigrationJobs.restart(jdbc, JOB, 4);

		assertThat(migrations.runUntilIdle(LIMIT)).isTrue();

		BackgroundMigrationProgress failed = migrations.progress(JOB).orElseThrow();
		assertThat(failed.status()).isEqualTo(BackgroundMigrationStatus.FAILED);
		assertThat(failed.lastError()).contains("cannot be split further").contains("division by zero");
		assertThat(jdbc.sql("""
				SELECT batch_size FROM migration.background_migration_batches
				WHERE status = 'FAILED' AND migration_id = (SELECT id FROM migration.background_migrations WHERE name = :job)
				ORDER BY id""").param("job", JOB).query(Long.class).list())
				.as("two attempts at each size, halved after each pair").containsExactly(4L, 4L, 2L, 2L, 1L, 1L);
		assertThat(migrated()).isZero();
		assertThat(migrations.runUntilIdle(LIMIT)).as("a failed job waits for an operator").isTrue();
		assertThat(migrated()).isZero();

		jdbc.sql("UPDATE engine_test.items SET poisoned = false").update();
		assertThat(migrations.retry(JOB, "test-operator").succeeded()).isTrue();
		assertThat(migrations.runUntilIdle(LIMIT)).isTrue();

		assertThat(BackgroundMigrationJobs.status(jdbc, JOB)).isEqualTo("FINISHED");
		assertThat(jdbc.sql("SELECT count(*) FROM engine_test.items WHERE migrations = 1").query(Long.class).single())
				.isEqualTo(ROWS);
		assertThat(transitions()).containsExactly("PENDING>RUNNING", "RUNNING>FAILED",
				"FAILED>RUNNING", "RUNNING>FINISHED");
	}

	@Test
	void aJobFailsOnceItHasFailedTooManyBatches() {
		job.transientFailures.set(Integer.MAX_VALUE);
		BackgroundMigrationJobs.restart(jdbc, JOB, 64);

		assertThat(migrations.runUntilIdle(LIMIT)).isTrue();

		assertThat(migrations.progress(JOB).orElseThrow()).satisfies(failed -> {
			assertThat(failed.status()).isEqualTo(BackgroundMigrationStatus.FAILED);
			assertThat(failed.failedBatches()).isEqualTo(7);
			assertThat(failed.lastError()).startsWith("7 failed batch attempts (more than 6)");
		});
	}

	@Test
	void noBatchRunsWhileTheDatabaseIsUnderPressure() {
		pressure.reason.set("replica lagging");
		assertThat(migrations.runUntilIdle(LIMIT)).isFalse();

		assertThat(migrated()).isZero();
		assertThat(migrations.progress(JOB).orElseThrow().throttledReason()).isEqualTo("test-pressure: replica lagging");

		pressure.reason.set(null);
		assertThat(migrations.runUntilIdle(LIMIT)).isTrue();
		assertThat(migrated()).isEqualTo(ROWS);
		assertThat(migrations.progress(JOB).orElseThrow().throttledReason()).isNull();
	}

	@Test
	void withoutPressureTheChecksAreAskedAtTheStartOfARunAndThenOncePerIntervalNotBeforeEveryBatch() {
		pressure.asked.set(0);

		assertThat(migrations.runUntilIdle(LIMIT)).isTrue();

		assertThat(migrated()).isEqualTo(ROWS);
		assertThat(succeededBatches()).hasSizeGreaterThan(5);
		assertThat(pressure.asked).hasValue(1); // the interval here is an hour
	}

	@Test
	void aSucceededBatchMovesTheCursorAndIsRecordedInOneStatement() {
		assertThat(migrations.runUntilIdle(LIMIT)).isTrue();

		Map<String, Object> job = jdbc.sql("""
				SELECT rows_done, batches_done, (SELECT count(*) FROM migration.background_migration_batches b
				    WHERE b.migration_id = m.id AND b.status = 'SUCCEEDED' AND b.pass = 1 AND b.attempt = 1
				      AND b.duration_ms >= 0 AND b.error IS NULL) AS recorded,
				    (SELECT sum(rows) FROM migration.background_migration_batches b WHERE b.migration_id = m.id) AS rows
				FROM migration.background_migrations m WHERE name = :job""").param("job", JOB).query().singleRow();
		assertThat(job.get("rows_done")).isEqualTo((long) ROWS);
		assertThat(((Number) job.get("recorded")).longValue()).isEqualTo(((Number) job.get("batches_done")).longValue());
		assertThat(((Number) job.get("rows")).longValue()).isEqualTo(ROWS);
	}

	@Test
	void onlyOneRunnerAtATime() {
		long runnerLock = 0x5348454C46424DL;
		transactions.executeWithoutResult(status -> {
			// Another instance's runner, as far as PostgreSQL can tell.
			jdbc.sql("SELECT pg_advisory_xact_lock(:lock)").param("lock", runnerLock).query().listOfRows();
			CompletableFuture<Boolean> run = CompletableFuture.supplyAsync(() -> migrations.runUntilIdle(LIMIT));
			assertThat(run.join()).isFalse();
		});
		assertThat(BackgroundMigrationJobs.status(jdbc, JOB)).isEqualTo("PENDING");

		assertThat(migrations.runUntilIdle(LIMIT)).isTrue();
		assertThat(migrated()).isEqualTo(ROWS);
	}

	@Test
	void rowsWrittenBehindTheCursorAreFoundByTheFinalCheckAndMigratedInAnotherPass() {
		AtomicInteger batches = new AtomicInteger();
		job.afterBatch = from -> {
			if (batches.incrementAndGet() == 4) {
				// An even key, below the cursor: a row a previous release wrote while this pass ran.
				jdbc.sql("INSERT INTO engine_test.items (id, value) VALUES (2, 1000000)").update();
				// And one beyond the pass's last key.
				jdbc.sql("INSERT INTO engine_test.items (id, value) VALUES (:id, 7)").param("id", 2L * ROWS + 10).update();
			}
		};

		assertThat(migrations.runUntilIdle(LIMIT)).isTrue();

		BackgroundMigrationProgress finished = migrations.progress(JOB).orElseThrow();
		assertThat(finished.status()).isEqualTo(BackgroundMigrationStatus.FINISHED);
		assertThat(finished.pass()).isEqualTo(2);
		assertThat(finished.rowsDone()).isEqualTo(ROWS + 2);
		assertThat(jdbc.sql("SELECT count(*) FROM engine_test.items WHERE migrations = 1").query(Long.class).single())
				.isEqualTo(ROWS + 2);
	}

	@Test
	void theFinalizeGateRefusesUntilTheJobHasFinished() {
		assertThatThrownBy(() -> requireCompleted(JOB)).isInstanceOf(DataAccessException.class)
				.hasMessageContaining("Background migration \"" + JOB + "\" has not finished (status PENDING")
				.hasMessageContaining("this script contracts the schema it migrates away from");
		assertThatThrownBy(() -> requireCompleted("no.such-job")).isInstanceOf(DataAccessException.class)
				.hasMessageContaining("Background migration \"no.such-job\" is not registered");

		migrations.runUntilIdle(LIMIT);

		requireCompleted(JOB);
	}

	@Test
	void aJobRegisteredByAScriptWithNothingToMigrateIsFinishedAtOnce() {
		String name = "test.registered-empty-" + System.nanoTime();
		jdbc.sql("SELECT migration.register_background_migration(:name, 'nothing here', true)").param("name", name)
				.query().listOfRows();
		jdbc.sql("SELECT migration.register_background_migration(:name, 'registered again', false)").param("name", name)
				.query().listOfRows();

		assertThat(BackgroundMigrationJobs.status(jdbc, name)).isEqualTo("FINISHED");
		requireCompleted(name);
		assertThat(migrations.progress(name).orElseThrow().implemented()).as("no code for it here").isFalse();
	}

	private void requireCompleted(String name) {
		jdbc.sql("SELECT migration.require_completed(:name)").param("name", name).query().listOfRows();
	}

	private long migrated() {
		return jdbc.sql("SELECT count(*) FROM engine_test.items WHERE doubled IS NOT NULL").query(Long.class).single();
	}

	private List<Map<String, Object>> succeededBatches() {
		return jdbc.sql("""
				SELECT from_key, to_key, batch_size, rows FROM migration.background_migration_batches
				WHERE status = 'SUCCEEDED' AND migration_id = (SELECT id FROM migration.background_migrations WHERE name = :job)
				ORDER BY id""").param("job", JOB).query().listOfRows();
	}

	private List<String> transitions() {
		return jdbc.sql("""
				SELECT coalesce(from_status, 'null') || '>' || to_status FROM migration.background_migration_transitions
				WHERE migration_id = (SELECT id FROM migration.background_migrations WHERE name = :job)
				  AND from_status IS DISTINCT FROM to_status
				ORDER BY id""").param("job", JOB).query(String.class).list();
	}

	/** Doubles {@code value} into {@code doubled}; a poisoned row makes PostgreSQL fail the batch (division by 0). */
	static class DoubleValues implements BackgroundMigration {

		static final String NAME = "test.double-values";

		private final JdbcClient jdbc;
		final AtomicInteger transientFailures = new AtomicInteger();
		volatile LongConsumer afterBatch = from -> {
		};

		DoubleValues(JdbcClient jdbc) {
			this.jdbc = jdbc;
		}

		@Override
		public String name() {
			return NAME;
		}

		@Override
		public String description() {
			return "Doubles the values of the engine's test table.";
		}

		@Override
		public PrimaryKey primaryKey() {
			return PrimaryKey.idOf("engine_test.items");
		}

		@Override
		public long migrateBatch(long fromKey, long toKey) {
			int rows = jdbc.sql("""
					UPDATE engine_test.items SET doubled = CASE WHEN poisoned THEN value / 0 ELSE value * 2 END,
					    migrations = migrations + 1
					WHERE id >= :from AND id < :to AND doubled IS NULL""")
					.param("from", fromKey).param("to", toKey).update();
			if (transientFailures.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
				throw new IllegalStateException("a transient failure, after the batch's update");
			}
			afterBatch.accept(fromKey);
			return rows;
		}

		@Override
		public long remainingRows() {
			return jdbc.sql("SELECT count(*) FROM engine_test.items WHERE doubled IS NULL").query(Long.class).single();
		}
	}

	static class TogglePressure implements DatabasePressureCheck {

		final AtomicReference<String> reason = new AtomicReference<>();
		final AtomicInteger asked = new AtomicInteger();

		@Override
		public String name() {
			return "test-pressure";
		}

		@Override
		public Optional<String> pressure() {
			asked.incrementAndGet();
			return Optional.ofNullable(reason.get());
		}
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class TestJobs {

		@Bean
		DoubleValues doubleValues(JdbcClient jdbc) {
			return new DoubleValues(jdbc);
		}

		@Bean
		TogglePressure togglePressure() {
			return new TogglePressure();
		}
	}
}
