package dev.shelf.migration.internal;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import dev.shelf.migration.AdvisoryLock;
import dev.shelf.migration.BackgroundMigration;
import dev.shelf.migration.BackgroundMigrationProgress;
import dev.shelf.migration.BackgroundMigrationStatus;
import dev.shelf.migration.BackgroundMigrations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The engine: registers the jobs declared in code at start-up, runs them on its own thread (unless
 * {@code shelf.migration.runner-enabled=false}), and carries out operators' commands.
 * <p>
 * One runner at a time across all instances: batches run only while this instance holds a session-level PostgreSQL
 * advisory lock, on a connection of its own kept for as long as there is work. A process that dies loses its
 * session and with it the lock (and its open batch transaction, rolled back), so another instance takes over at the
 * committed cursor.
 */
class BackgroundMigrationEngine implements BackgroundMigrations, SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(BackgroundMigrationEngine.class);

	/** "SHELFBM" in ASCII: no other advisory lock of Shelf's database uses it. */
	private static final long RUNNER_LOCK = 0x5348454C46424DL;

	private final DataSource dataSource;
	private final JobStore store;
	private final Map<String, BackgroundMigration> jobs;
	private final BatchRunner runner;
	private final TransactionTemplate transactions;
	private final MigrationProperties properties;
	private final MigrationMetrics metrics;
	private final Object signal = new Object();

	private volatile boolean running;
	private volatile boolean wakeUp;
	private Thread thread;

	BackgroundMigrationEngine(DataSource dataSource, JobStore store, Map<String, BackgroundMigration> jobs,
			BatchRunner runner, TransactionTemplate transactions, MigrationProperties properties,
			MigrationMetrics metrics) {
		this.dataSource = dataSource;
		this.store = store;
		this.jobs = jobs;
		this.runner = runner;
		this.transactions = transactions;
		this.properties = properties;
		this.metrics = metrics;
	}

	// ---- lifecycle: after every singleton, Flyway's initializer included, exists ----

	@Override
	public void start() {
		jobs.values().forEach(job -> store.register(job.name(), job.description(), properties.initialBatchSize()));
		progress();
		running = true;
		if (properties.runnerEnabled()) {
			thread = new Thread(this::loop, "background-migrations");
			thread.setDaemon(true);
			thread.start();
		}
	}

	@Override
	public void stop() {
		running = false;
		wake();
		if (thread != null) {
			try {
				// A batch is short (statement_timeout); whatever it did not commit is rolled back and done again.
				thread.join(properties.statementTimeout().plusSeconds(5).toMillis());
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	private void loop() {
		while (running) {
			try {
				runWhileWork(() -> running);
			}
			catch (RuntimeException | SQLException e) {
				log.error("Background migration runner failed; trying again in {}", properties.pollInterval(), e);
			}
			waitFor(properties.pollInterval());
		}
	}

	// ---- running ----

	@Override
	public boolean runUntilIdle(Duration timeLimit) {
		Instant deadline = Instant.now().plus(timeLimit);
		try {
			Boolean idle = runWhileWork(() -> Instant.now().isBefore(deadline));
			return idle != null && idle;
		}
		catch (SQLException e) {
			throw new IllegalStateException("Background migrations could not run", e);
		}
	}

	/**
	 * Holds the runner's lock while there is work.
	 *
	 * @return whether every job is idle; false when throttled or out of time; null when another instance runs
	 */
	private Boolean runWhileWork(BooleanSupplier goOn) throws SQLException {
		boolean[] idle = new boolean[1];
		boolean ran = AdvisoryLock.runExclusively(dataSource, RUNNER_LOCK, session -> idle[0] = steps(goOn));
		return ran ? idle[0] : null;
	}

	private boolean steps(BooleanSupplier goOn) {
		runner.newRun();
		Instant lastObserved = Instant.EPOCH;
		while (goOn.getAsBoolean()) {
			BatchRunner.Step step = runner.step();
			if (Instant.now().isAfter(lastObserved.plusSeconds(1)) || step.kind() != BatchRunner.Step.Kind.WORKED) {
				progress(); // keeps the metrics' gauges current
				lastObserved = Instant.now();
			}
			switch (step.kind()) {
				case IDLE:
					return true;
				case THROTTLED:
					if (thread != Thread.currentThread()) {
						return false; // a caller's run stops here; the engine's own thread waits and asks again
					}
					waitFor(step.delay());
					break;
				default:
					waitFor(step.delay());
			}
		}
		return false;
	}

	private void waitFor(Duration duration) {
		if (duration.isZero() || duration.isNegative()) {
			return;
		}
		synchronized (signal) {
			long until = System.nanoTime() + duration.toNanos();
			while (!wakeUp && running && System.nanoTime() < until) {
				try {
					signal.wait(Math.max(1, (until - System.nanoTime()) / 1_000_000));
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
					return;
				}
			}
			wakeUp = false;
		}
	}

	private void wake() {
		synchronized (signal) {
			wakeUp = true;
			signal.notifyAll();
		}
	}

	// ---- operators ----

	@Override
	public List<BackgroundMigrationProgress> progress() {
		return store.all().stream().map(this::progressOf).toList();
	}

	@Override
	public Optional<BackgroundMigrationProgress> progress(String name) {
		return store.find(name).map(this::progressOf);
	}

	@Override
	public Change pause(String name, String actor) {
		return command(name, actor, "paused", job -> job.status() == BackgroundMigrationStatus.PENDING
				|| job.status() == BackgroundMigrationStatus.RUNNING, job -> BackgroundMigrationStatus.PAUSED);
	}

	@Override
	public Change resume(String name, String actor) {
		return command(name, actor, "resumed", job -> job.status() == BackgroundMigrationStatus.PAUSED,
				BackgroundMigrationEngine::activeStatus);
	}

	@Override
	public Change retry(String name, String actor) {
		return command(name, actor, "retried", job -> job.status() == BackgroundMigrationStatus.FAILED, job -> {
			store.resetFailures(job);
			return activeStatus(job);
		});
	}

	private static BackgroundMigrationStatus activeStatus(Job job) {
		return job.started() ? BackgroundMigrationStatus.RUNNING : BackgroundMigrationStatus.PENDING;
	}

	/** Locks the job (waiting for a batch in flight to commit), checks its status, and moves it. */
	private Change command(String name, String actor, String verb, java.util.function.Predicate<Job> allowed,
			java.util.function.Function<Job, BackgroundMigrationStatus> target) {
		String refusal = transactions.execute(status -> {
			Optional<Job> locked = store.lock(name);
			if (locked.isEmpty()) {
				return "NOT_FOUND";
			}
			if (!allowed.test(locked.get())) {
				return "INVALID_STATUS";
			}
			store.transition(locked.get(), target.apply(locked.get()), actor, verb + " by " + actor);
			return null;
		});
		if ("NOT_FOUND".equals(refusal)) {
			return Change.refused(null, refusal, "No background migration is named '" + name + "'");
		}
		BackgroundMigrationProgress now = progress(name).orElseThrow();
		if (refusal != null) {
			return Change.refused(now, refusal, "A " + now.status() + " background migration cannot be " + verb);
		}
		log.info("Background migration {} {} by {}: now {}", name, verb, actor, now.status());
		wake();
		return Change.done(now);
	}

	private BackgroundMigrationProgress progressOf(Job job) {
		JobStore.RecentBatches recent = job.started() && job.status() == BackgroundMigrationStatus.RUNNING
				? store.recentBatches(job) : new JobStore.RecentBatches(0, 0, 0);
		double rowsPerSecond = recent.seconds() > 0 ? recent.rows() / recent.seconds() : 0;
		Duration eta = null;
		if (recent.seconds() > 0 && recent.keys() > 0) {
			double keysPerSecond = recent.keys() / recent.seconds();
			eta = Duration.ofMillis(Math.round(Math.max(0, job.maxKey() - job.nextKey() + 1) / keysPerSecond * 1000));
		}
		else if (job.status() == BackgroundMigrationStatus.FINISHED) {
			eta = Duration.ZERO;
		}
		Long estimate = job.rowsTotalEstimate() == null ? null : Math.max(job.rowsTotalEstimate(), job.rowsDone());
		var progress = new BackgroundMigrationProgress(job.name(), job.description(), job.status(), job.rowsDone(),
				estimate, job.fractionWalked(), rowsPerSecond, eta, job.batchSize(), job.batchesDone(),
				job.failedBatches(), job.pass(), Duration.ofMillis(job.longestBatchMs()), job.lastError(),
				job.throttledReason(), job.throttledAt(), job.createdAt(), job.startedAt(), job.lastBatchAt(),
				job.finishedAt(), jobs.containsKey(job.name()));
		metrics.observe(progress);
		return progress;
	}
}
