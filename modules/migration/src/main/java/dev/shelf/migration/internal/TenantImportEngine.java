package dev.shelf.migration.internal;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import javax.sql.DataSource;

import dev.shelf.migration.AdvisoryLock;
import dev.shelf.migration.LegacyDatabase;
import dev.shelf.migration.LegacyTenant;
import dev.shelf.migration.LegacyTenantSource;
import dev.shelf.migration.TenantImportContext;
import dev.shelf.migration.TenantImportOptions;
import dev.shelf.migration.TenantImportRecord;
import dev.shelf.migration.TenantImportRun;
import dev.shelf.migration.TenantImportStatus;
import dev.shelf.migration.TenantImportStep;
import dev.shelf.migration.TenantImportStep.StepOutcome;
import dev.shelf.migration.TenantImports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The tenant import engine. A run lists the legacy tenants page by page (keyset on the legacy id), registers each in
 * {@code migration.tenant_imports} once, leaves alone those an earlier run settled (imported or skipped), and hands
 * the others to a fixed pool of {@code concurrency} threads — a semaphore of as many permits keeps the hand-over
 * queue from growing, so at most {@code concurrency} tenants are in flight and memory stays flat whatever the number
 * of tenants. Each tenant's steps run in order, each in one transaction together with the record that it is done.
 * <p>
 * One real run at a time across instances: it holds a session-level advisory lock for its whole length (a killed
 * instance loses it with its session). Dry runs take no lock and write nothing: their steps run in read-only
 * transactions, and their report stays in memory.
 */
class TenantImportEngine implements TenantImports, SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(TenantImportEngine.class);

	/** "SHELFTI" in ASCII: no other advisory lock of Shelf's database uses it. */
	private static final long IMPORT_LOCK = 0x5348454C465449L;
	private static final Duration SAVE_PROGRESS_EVERY = Duration.ofSeconds(1);
	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

	private final DataSource dataSource;
	private final JdbcClient jdbc;
	private final TenantImportStore store;
	private final Supplier<LegacyTenantSource> source;
	private final Supplier<List<TenantImportStep>> stepBeans;
	private final Supplier<LegacyDatabase> configuredLegacy;
	private final TransactionTemplate transactions;
	private final TenantImportProperties properties;
	private final TenantImportMetrics metrics;

	private final AtomicBoolean busy = new AtomicBoolean();
	private volatile Progress latestRun;
	private volatile Progress latestDryRun;
	private volatile boolean stopping;
	private volatile boolean running;

	TenantImportEngine(DataSource dataSource, TenantImportStore store, Supplier<LegacyTenantSource> source,
			Supplier<List<TenantImportStep>> steps, Supplier<LegacyDatabase> configuredLegacy, TransactionTemplate transactions,
			TenantImportProperties properties, TenantImportMetrics metrics) {
		this.dataSource = dataSource;
		this.jdbc = JdbcClient.create(dataSource);
		this.store = store;
		this.source = source;
		this.stepBeans = steps;
		this.configuredLegacy = configuredLegacy;
		this.transactions = transactions;
		this.properties = properties;
		this.metrics = metrics;
	}

	// ---- running ----

	@Override
	public TenantImportRun run(TenantImportOptions options) {
		Plan plan = plan(options);
		if (!busy.compareAndSet(false, true)) {
			throw new IllegalStateException("A tenant import runs already on this instance");
		}
		try {
			return runExclusively(plan, started -> {
			});
		}
		finally {
			busy.set(false);
		}
	}

	@Override
	public Started start(TenantImportOptions options) {
		Plan plan;
		try {
			plan = plan(options);
		}
		catch (IllegalStateException e) {
			return new Started(null, e.getMessage());
		}
		if (!busy.compareAndSet(false, true)) {
			return new Started(latest(options.dryRun()).orElse(null), "A tenant import runs already on this instance");
		}
		CompletableFuture<TenantImportRun> began = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				runExclusively(plan, began::complete);
			}
			catch (RuntimeException e) {
				began.completeExceptionally(e);
				log.error("Tenant import failed", e);
			}
			finally {
				busy.set(false);
			}
		}, "tenant-import");
		thread.setDaemon(true);
		thread.start();
		try {
			return new Started(began.get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS), null);
		}
		catch (ExecutionException e) {
			return new Started(null, e.getCause().getMessage());
		}
		catch (TimeoutException e) {
			return new Started(null, "The import did not start within " + STOP_TIMEOUT.toSeconds() + " s");
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return new Started(null, "Interrupted while starting the import");
		}
	}

	/** What a run needs, checked before anything starts. */
	private record Plan(TenantImportOptions options, LegacyDatabase legacy, LegacyTenantSource source,
			List<TenantImportStep> steps, int concurrency) {
	}

	private Plan plan(TenantImportOptions options) {
		LegacyDatabase legacy = options.legacy() != null ? options.legacy() : configuredLegacy.get();
		if (legacy == null) {
			throw new IllegalStateException("No legacy database is configured: set SHELF_MIGRATION_LEGACY_URL "
					+ "(and _USERNAME, _PASSWORD) to the legacy app's JDBC URL");
		}
		LegacyTenantSource tenants = source.get();
		if (tenants == null) {
			throw new IllegalStateException("No module lists the legacy app's tenants (a LegacyTenantSource bean)");
		}
		if (stopping) {
			throw new IllegalStateException("Shelf is shutting down");
		}
		List<TenantImportStep> steps = stepBeans.get();
		if (steps.stream().map(TenantImportStep::name).distinct().count() != steps.size()) {
			throw new IllegalStateException("Two tenant import steps have the same name: "
					+ steps.stream().map(TenantImportStep::name).toList());
		}
		return new Plan(options, legacy, tenants, steps,
				options.concurrency() == 0 ? properties.concurrency() : options.concurrency());
	}

	private TenantImportRun runExclusively(Plan plan, Consumer<TenantImportRun> started) {
		if (plan.options().dryRun()) {
			return execute(plan, started);
		}
		TenantImportRun[] result = new TenantImportRun[1];
		try {
			if (!AdvisoryLock.runExclusively(dataSource, IMPORT_LOCK, session -> result[0] = execute(plan, started))) {
				throw new IllegalStateException("Another instance of Shelf is importing tenants (see tenantImport)");
			}
		}
		catch (SQLException e) {
			throw new IllegalStateException("Could not take the tenant import's lock", e);
		}
		return result[0];
	}

	private TenantImportRun execute(Plan plan, Consumer<TenantImportRun> started) {
		boolean dryRun = plan.options().dryRun();
		long total = plan.source().count(plan.legacy());
		Long id = dryRun ? null : store.startRun(plan.concurrency(), plan.options().actor(), plan.legacy().url(), total);
		Progress progress = new Progress(id, dryRun, plan.concurrency(), plan.options().actor(), total);
		if (dryRun) {
			latestDryRun = progress;
		}
		else {
			latestRun = progress;
		}
		log.info("Tenant import{} started by {}: {} legacy tenants, {} at a time", dryRun ? " (dry run)" : "",
				plan.options().actor(), total, plan.concurrency());
		started.accept(progress.snapshot());

		AtomicInteger threads = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(plan.concurrency(), work -> {
			Thread thread = new Thread(work, "tenant-import-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		Semaphore slots = new Semaphore(plan.concurrency());
		try {
			dispatchAll(plan, progress, pool, slots);
			pool.shutdown();
			awaitQuietly(pool);
			progress.finish(stopping ? "STOPPED" : "FINISHED", null);
		}
		catch (RuntimeException e) {
			pool.shutdown();
			awaitQuietly(pool);
			progress.finish("FAILED", describe(e));
			log.error("Tenant import failed", e);
		}
		finally {
			if (!dryRun) {
				store.saveRun(progress.snapshot());
			}
		}
		TenantImportRun run = progress.snapshot();
		log.info("Tenant import{} {}: {} imported, {} skipped, {} failed, {} settled earlier, {} mapping problems",
				dryRun ? " (dry run)" : "", run.status(), run.imported(), run.skipped(), run.failed(),
				run.alreadySettled(), run.problems());
		return run;
	}

	private void dispatchAll(Plan plan, Progress progress, ExecutorService pool, Semaphore slots) {
		boolean dryRun = plan.options().dryRun();
		long after = 0;
		Instant saved = Instant.now();
		while (!stopping) {
			List<LegacyTenant> page = plan.source().tenantsAfter(plan.legacy(), after, properties.pageSize());
			if (page.isEmpty()) {
				return;
			}
			after = page.get(page.size() - 1).legacyId();
			Map<String, TenantImportStore.Stored> states = dryRun ? store.find(page) : store.register(page);
			for (LegacyTenant tenant : page) {
				TenantImportStore.Stored stored = states.get(tenant.key());
				if (stored != null && stored.status().settled()) {
					progress.alreadySettled.incrementAndGet();
					continue;
				}
				try {
					slots.acquire();
				}
				catch (InterruptedException e) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException("Interrupted while handing out tenants", e);
				}
				if (stopping) {
					slots.release();
					return;
				}
				pool.execute(() -> {
					try {
						importTenant(plan, progress, tenant, stored == null ? Set.of() : stored.stepsDone());
					}
					finally {
						slots.release();
					}
				});
				if (!dryRun && Instant.now().isAfter(saved.plus(SAVE_PROGRESS_EVERY))) {
					store.saveRun(progress.snapshot());
					saved = Instant.now();
				}
			}
		}
	}

	private void importTenant(Plan plan, Progress progress, LegacyTenant tenant, Set<String> stepsDone) {
		boolean dryRun = plan.options().dryRun();
		long started = System.nanoTime();
		Map<String, StepContext> contexts = new LinkedHashMap<>();
		String skipReason = null;
		String error = null;
		try {
			if (!dryRun) {
				store.claim(tenant.key(), progress.id);
			}
			for (TenantImportStep step : plan.steps()) {
				if (stepsDone.contains(step.name())) {
					continue;
				}
				if (stopping) {
					return; // RUNNING in the table: the next run resumes it at this step
				}
				StepContext context = new StepContext(plan.legacy(), dryRun, properties.maxProblemsPerTenant());
				contexts.put(step.name(), context);
				StepOutcome outcome = runStep(step, tenant, context, dryRun);
				if (outcome.skipsTenant()) {
					skipReason = outcome.skipReason();
					break;
				}
			}
			if (skipReason == null && !dryRun) {
				store.imported(tenant.key());
			}
		}
		catch (RuntimeException e) {
			error = describe(e);
			log.warn("Import of legacy tenant {} failed: {}", tenant.key(), error);
			if (!dryRun) {
				try {
					store.failed(tenant.key(), error);
				}
				catch (RuntimeException unrecorded) {
					// Left RUNNING: the next run resumes it all the same.
					log.error("Could not record the failure of tenant {}", tenant.key(), unrecorded);
				}
			}
		}
		String outcome = error != null ? "failed" : skipReason != null ? "skipped" : "imported";
		long problems = contexts.values().stream().mapToLong(StepContext::problemCount).sum();
		progress.count(outcome, problems);
		metrics.tenant(dryRun, outcome, Duration.ofNanos(System.nanoTime() - started), problems);
		if (dryRun) {
			Map<String, Object> report = new LinkedHashMap<>();
			contexts.forEach((name, context) -> report.put(name, context.report()));
			TenantImportStatus status = error != null ? TenantImportStatus.FAILED
					: skipReason != null ? TenantImportStatus.SKIPPED : TenantImportStatus.IMPORTED;
			progress.dryRecords.add(TenantImportStore.record(tenant.key(), tenant.legacyId(), status, 1,
					List.copyOf(contexts.keySet()), skipReason, error, TenantImportStore.JSON.valueToTree(report),
					Instant.now()));
		}
	}

	/** One step and the record that it is done, in one transaction; read-only in a dry run. */
	private StepOutcome runStep(TenantImportStep step, LegacyTenant tenant, StepContext context, boolean dryRun) {
		try {
			return transactions.execute(transaction -> {
				if (dryRun) {
					// PostgreSQL itself refuses every write of a dry run, whatever a step does.
					jdbc.sql("SET TRANSACTION READ ONLY").update();
				}
				StepOutcome outcome = step.importTenant(tenant, context);
				if (outcome == null) {
					throw new IllegalStateException("returned no outcome");
				}
				if (!dryRun) {
					store.stepDone(tenant.key(), step.name(), context.report(), outcome.skipReason());
				}
				return outcome;
			});
		}
		catch (RuntimeException e) {
			throw new StepFailed(step.name(), e);
		}
	}

	private static final class StepFailed extends RuntimeException {

		StepFailed(String step, RuntimeException cause) {
			super(step + ": " + describe(cause), cause);
		}
	}

	private static String describe(RuntimeException e) {
		if (e instanceof StepFailed) {
			return e.getMessage();
		}
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(e);
		return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getName();
	}

	private static void awaitQuietly(ExecutorService pool) {
		try {
			// Each tenant is a few short transactions; a stuck one is bounded by the statement timeout of its server.
			while (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
				log.info("Tenant import: waiting for the tenants in flight");
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	// ---- reading ----

	@Override
	public Optional<TenantImportRun> latest(boolean dryRun) {
		Progress progress = dryRun ? latestDryRun : latestRun;
		if (progress != null) {
			return Optional.of(progress.snapshot());
		}
		return dryRun ? Optional.empty() : store.latestRun();
	}

	@Override
	public List<TenantImportRecord> tenants(boolean dryRun, TenantImportStatus status, long afterLegacyId, int limit) {
		if (!dryRun) {
			return store.page(status, afterLegacyId, limit);
		}
		Progress progress = latestDryRun;
		if (progress == null) {
			return List.of();
		}
		return progress.dryRecords.stream()
				.filter(record -> record.legacyId() > afterLegacyId && (status == null || record.status() == status))
				.sorted(Comparator.comparingLong(TenantImportRecord::legacyId)).limit(limit).toList();
	}

	@Override
	public boolean forget(String tenantKey) {
		return store.forget(tenantKey);
	}

	// ---- lifecycle: a shutdown lets the tenants in flight finish their step; the rest wait for the next run ----

	@Override
	public void start() {
		stopping = false;
		running = true;
	}

	@Override
	public void stop() {
		stopping = true;
		long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
		while (busy.get() && System.nanoTime() < deadline) {
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		running = false;
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	// ---- a run's figures, as it goes ----

	private static final class Progress {

		final Long id;
		final boolean dryRun;
		final int concurrency;
		final String actor;
		final long total;
		final Instant startedAt = Instant.now();
		final AtomicLong alreadySettled = new AtomicLong();
		final AtomicLong imported = new AtomicLong();
		final AtomicLong skipped = new AtomicLong();
		final AtomicLong failed = new AtomicLong();
		final AtomicLong problems = new AtomicLong();
		final ConcurrentLinkedQueue<TenantImportRecord> dryRecords = new ConcurrentLinkedQueue<>();
		volatile String status = "RUNNING";
		volatile Instant finishedAt;
		volatile String lastError;

		Progress(Long id, boolean dryRun, int concurrency, String actor, long total) {
			this.id = id;
			this.dryRun = dryRun;
			this.concurrency = concurrency;
			this.actor = actor;
			this.total = total;
		}

		void count(String outcome, long problemCount) {
			(outcome.equals("imported") ? imported : outcome.equals("skipped") ? skipped : failed).incrementAndGet();
			problems.addAndGet(problemCount);
		}

		void finish(String finalStatus, String error) {
			lastError = error;
			finishedAt = Instant.now();
			status = finalStatus;
		}

		TenantImportRun snapshot() {
			return new TenantImportRun(id, dryRun, status, concurrency, total, alreadySettled.get(), imported.get(),
					skipped.get(), failed.get(), problems.get(), actor, startedAt, finishedAt, lastError);
		}
	}

	/** What one step of one tenant reported. Used by one thread at a time. */
	private static final class StepContext implements TenantImportContext {

		private final LegacyDatabase legacy;
		private final boolean dryRun;
		private final int maxProblems;
		private final List<Map<String, String>> problems = new ArrayList<>();
		private final Map<String, Long> counts = new LinkedHashMap<>();
		private long problemsNotKept;

		StepContext(LegacyDatabase legacy, boolean dryRun, int maxProblems) {
			this.legacy = legacy;
			this.dryRun = dryRun;
			this.maxProblems = maxProblems;
		}

		@Override
		public LegacyDatabase legacy() {
			return legacy;
		}

		@Override
		public boolean dryRun() {
			return dryRun;
		}

		@Override
		public void problem(String field, String message) {
			if (problems.size() < maxProblems) {
				Map<String, String> problem = new LinkedHashMap<>();
				problem.put("field", field);
				problem.put("message", message);
				problems.add(problem);
			}
			else {
				problemsNotKept++;
			}
		}

		@Override
		public void count(String what, long value) {
			counts.merge(what, value, Long::sum);
		}

		long problemCount() {
			return problems.size() + problemsNotKept;
		}

		Map<String, Object> report() {
			Map<String, Object> report = new LinkedHashMap<>();
			report.put("problems", problems);
			report.put("problemsNotKept", problemsNotKept);
			report.put("counts", counts);
			return report;
		}
	}
}
