package dev.shelf.migration;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.shelf.testing.OwnDatabase;
import dev.shelf.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The tenant import engine on real PostgreSQL with two steps of its own (they write to a test schema of Shelf's
 * database) over a legacy database of its own: every tenant once, re-runs leave settled tenants alone, a tenant that
 * failed half-way is resumed at its failed step, a dry run writes nothing (PostgreSQL refuses a dry step's write),
 * at most {@code concurrency} tenants in flight, one real run at a time across instances.
 */
@SpringBootTest(properties = "shelf.migration.runner-enabled=false")
@Import(TenantImportEngineTests.TestSteps.class)
class TenantImportEngineTests {

	static OwnDatabase legacyServer;
	static LegacyDatabase legacy;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	TenantImports imports;

	@Autowired
	FirstStep first;

	@Autowired
	SecondStep second;

	String prefix;

	@BeforeAll
	static void legacyDatabase() throws SQLException {
		legacyServer = new OwnDatabase("legacy");
		legacyServer.jdbc().sql("CREATE TABLE tenants (id serial PRIMARY KEY, name text NOT NULL, skip boolean)").update();
		legacy = LegacyDatabase.connect(legacyServer.url(), legacyServer.username(), legacyServer.password(), 10);
	}

	@AfterAll
	static void closeLegacy() throws SQLException {
		legacy.close();
		legacyServer.close();
	}

	@BeforeEach
	void freshTenants() {
		prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + "-";
		legacyServer.jdbc().sql("TRUNCATE tenants").update();
		jdbc.sql("CREATE SCHEMA IF NOT EXISTS import_test").update();
		jdbc.sql("CREATE TABLE IF NOT EXISTS import_test.firsts (tenant text PRIMARY KEY, runs bigint NOT NULL DEFAULT 1)")
				.update();
		jdbc.sql("CREATE TABLE IF NOT EXISTS import_test.seconds (tenant text PRIMARY KEY)").update();
		first.calls.clear();
		second.failOnce.clear();
		second.gate = null;
		second.inFlight.set(0);
		second.maxInFlight.set(0);
		first.writeInDryRun = false;
	}

	private void legacyTenants(int count) {
		legacyServer.jdbc().sql("INSERT INTO tenants (name) SELECT :prefix || n FROM generate_series(1, :count) n")
				.param("prefix", prefix).param("count", count).update();
	}

	private TenantImportRun run(int concurrency) {
		return imports.run(TenantImportOptions.run(concurrency, "test").from(legacy));
	}

	private long rows(String table) {
		return jdbc.sql("SELECT count(*) FROM " + table + " WHERE tenant LIKE :prefix || '%'").param("prefix", prefix)
				.query(Long.class).single();
	}

	private String status(String tenant) {
		return jdbc.sql("SELECT status FROM migration.tenant_imports WHERE tenant = ?").param(tenant)
				.query(String.class).single();
	}

	@Test
	void everyTenantIsImportedOnceAndARerunLeavesThemAlone() {
		legacyTenants(25);

		TenantImportRun firstRun = run(4);

		assertThat(firstRun.status()).isEqualTo("FINISHED");
		assertThat(firstRun.imported()).isEqualTo(25);
		assertThat(firstRun.failed()).isZero();
		assertThat(rows("import_test.firsts")).isEqualTo(25);
		assertThat(rows("import_test.seconds")).isEqualTo(25);

		TenantImportRun rerun = run(4);

		assertThat(rerun.imported()).isZero();
		assertThat(rerun.alreadySettled()).isEqualTo(25);
		assertThat(rows("import_test.firsts")).isEqualTo(25);
		assertThat(jdbc.sql("SELECT max(runs) FROM import_test.firsts WHERE tenant LIKE :p || '%'").param("p", prefix)
				.query(Long.class).single()).as("no step ran twice for a tenant").isEqualTo(1);
		assertThat(jdbc.sql("SELECT DISTINCT attempts FROM migration.tenant_imports WHERE tenant LIKE :p || '%'")
				.param("p", prefix).query(Long.class).list()).containsExactly(1L);
		assertThat(imports.latest(false).orElseThrow().id()).isEqualTo(rerun.id());
	}

	@Test
	void aTenantThatFailedHalfWayIsResumedAtItsFailedStepAndSettledTenantsAreSkipped() {
		legacyTenants(10);
		String broken = prefix + 7;
		second.failOnce.add(broken);

		TenantImportRun firstRun = run(3);

		assertThat(firstRun.imported()).isEqualTo(9);
		assertThat(firstRun.failed()).isEqualTo(1);
		assertThat(status(broken)).isEqualTo("FAILED");
		TenantImportRecord failed = imports.tenants(false, TenantImportStatus.FAILED, 0, 1000).stream()
				.filter(r -> r.tenant().equals(broken)).findFirst().orElseThrow();
		assertThat(failed.lastError()).contains("test.second").contains("injected failure");
		assertThat(failed.stepsDone()).containsExactly("test.first");

		TenantImportRun resumed = run(3);

		assertThat(resumed.imported()).isEqualTo(1);
		assertThat(resumed.alreadySettled()).isEqualTo(9);
		assertThat(status(broken)).isEqualTo("IMPORTED");
		assertThat(first.calls.get(broken)).as("the first step, done before the failure, is not run again").hasValue(1);
		assertThat(rows("import_test.seconds")).isEqualTo(10);
		assertThat(jdbc.sql("SELECT attempts FROM migration.tenant_imports WHERE tenant = ?").param(broken)
				.query(Long.class).single()).isEqualTo(2);
	}

	@Test
	void aTenantAStepSkipsIsReportedWithItsReasonAndItsLaterStepsDoNotRun() {
		legacyTenants(3);
		legacyServer.jdbc().sql("UPDATE tenants SET skip = true WHERE name = ?").param(prefix + 2).update();

		TenantImportRun result = run(2);

		assertThat(result.imported()).isEqualTo(2);
		assertThat(result.skipped()).isEqualTo(1);
		assertThat(status(prefix + 2)).isEqualTo("SKIPPED");
		assertThat(rows("import_test.seconds")).isEqualTo(2);
		TenantImportRecord skipped = imports.tenants(false, TenantImportStatus.SKIPPED, 0, 1000).stream()
				.filter(r -> r.tenant().equals(prefix + 2)).findFirst().orElseThrow();
		assertThat(skipped.reason()).isEqualTo("marked to skip in the legacy app");
		assertThat(skipped.problems()).extracting(TenantImportProblem::message).containsExactly("skip flag set");
		assertThat(run(2).alreadySettled()).as("skipped tenants are settled too").isEqualTo(3);
	}

	@Test
	void aDryRunReportsEveryTenantAndWritesNothing() {
		legacyTenants(12);
		legacyServer.jdbc().sql("UPDATE tenants SET skip = true WHERE name = ?").param(prefix + 5).update();
		Map<String, Long> before = rowsOfEveryTable();

		TenantImportRun dry = imports.run(TenantImportOptions.dryRun(4, "test").from(legacy));

		assertThat(rowsOfEveryTable()).isEqualTo(before);
		assertThat(dry.id()).isNull();
		assertThat(dry.imported()).isEqualTo(11);
		assertThat(dry.skipped()).isEqualTo(1);
		List<TenantImportRecord> report = imports.tenants(true, null, 0, 1000);
		assertThat(report).hasSize(12);
		assertThat(report).filteredOn(r -> r.status() == TenantImportStatus.SKIPPED).singleElement()
				.satisfies(r -> assertThat(r.problems()).extracting(TenantImportProblem::field).containsExactly("skip"));
		assertThat(report.get(0).counts()).containsEntry("test.first.things", 1L);
	}

	@Test
	void aStepThatWritesDuringADryRunFailsItsTenantInsteadOfWriting() {
		legacyTenants(2);
		first.writeInDryRun = true;
		Map<String, Long> before = rowsOfEveryTable();

		TenantImportRun dry = imports.run(TenantImportOptions.dryRun(2, "test").from(legacy));

		assertThat(rowsOfEveryTable()).isEqualTo(before);
		assertThat(dry.failed()).isEqualTo(2);
		assertThat(imports.tenants(true, TenantImportStatus.FAILED, 0, 10)).allSatisfy(r ->
				assertThat(r.lastError()).contains("read-only transaction"));
	}

	@Test
	void atMostConcurrencyTenantsAreInFlight() throws Exception {
		legacyTenants(12);
		second.gate = new CountDownLatch(1);

		CompletableFuture<TenantImportRun> running = CompletableFuture.supplyAsync(() -> run(3));
		await().atMost(Duration.ofSeconds(30)).until(() -> second.inFlight.get() == 3);
		// The three tenants in flight hold every thread; the other nine wait for one, however long this takes.
		assertThat(rows("import_test.seconds")).isZero();
		assertThat(imports.latest(false).orElseThrow().status()).isEqualTo("RUNNING");
		second.gate.countDown();
		TenantImportRun result = running.get(60, TimeUnit.SECONDS);

		assertThat(result.imported()).isEqualTo(12);
		assertThat(second.maxInFlight.get()).isEqualTo(3);
	}

	@Test
	void oneRealRunAtATimeAcrossInstances() throws Exception {
		legacyTenants(1);
		var shelf = TestDatabase.connectionDetails();
		// Another instance's runner: a session of its own on Shelf's database holding the import's lock.
		try (Connection otherInstance = DriverManager.getConnection(shelf.getJdbcUrl(), shelf.getUsername(),
				shelf.getPassword())) {
			otherInstance.createStatement().execute("SELECT pg_advisory_lock(" + 0x5348454C465449L + ")");

			assertThatThrownBy(() -> run(2)).isInstanceOf(IllegalStateException.class)
					.hasMessageContaining("Another instance");
			assertThat(imports.run(TenantImportOptions.dryRun(2, "test").from(legacy)).imported())
					.as("a dry run writes nothing, so it needs no lock").isEqualTo(1);
			otherInstance.createStatement().execute("SELECT pg_advisory_unlock(" + 0x5348454C465449L + ")");
		}
		assertThat(run(2).imported()).isEqualTo(1);
	}

	/** Rows of every table of Shelf's database (every schema but the system's), by table. */
	private Map<String, Long> rowsOfEveryTable() {
		Map<String, Long> rows = new java.util.TreeMap<>();
		for (String table : jdbc.sql("""
				SELECT table_schema || '.' || table_name FROM information_schema.tables
				WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')""")
				.query(String.class).list()) {
			rows.put(table, jdbc.sql("SELECT count(*) FROM " + table).query(Long.class).single());
		}
		return rows;
	}

	// ---- the test's steps and tenant source ----

	@TestConfiguration
	static class TestSteps {

		@Bean
		LegacyTenantSource testTenants() {
			return new LegacyTenantSource() {

				@Override
				public List<LegacyTenant> tenantsAfter(LegacyDatabase legacy, long afterLegacyId, int limit) {
					return legacy.jdbc().sql("SELECT id, name FROM tenants WHERE id > ? ORDER BY id LIMIT ?")
							.params(afterLegacyId, limit)
							.query((row, n) -> new LegacyTenant(row.getLong("id"), row.getString("name"))).list();
				}

				@Override
				public long count(LegacyDatabase legacy) {
					return legacy.jdbc().sql("SELECT count(*) FROM tenants").query(Long.class).single();
				}
			};
		}

		@Bean
		@Order(1)
		FirstStep firstStep(JdbcClient jdbc) {
			return new FirstStep(jdbc);
		}

		@Bean
		@Order(2)
		SecondStep secondStep(JdbcClient jdbc) {
			return new SecondStep(jdbc);
		}
	}

	/** Writes one row per tenant; skips tenants the legacy app marks so. */
	static class FirstStep implements TenantImportStep {

		final JdbcClient jdbc;
		final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
		volatile boolean writeInDryRun;

		FirstStep(JdbcClient jdbc) {
			this.jdbc = jdbc;
		}

		@Override
		public String name() {
			return "test.first";
		}

		@Override
		public StepOutcome importTenant(LegacyTenant tenant, TenantImportContext context) {
			calls.computeIfAbsent(tenant.key(), key -> new AtomicInteger()).incrementAndGet();
			Boolean skip = context.legacy().jdbc().sql("SELECT coalesce(skip, false) FROM tenants WHERE id = ?").param(tenant.legacyId())
					.query(Boolean.class).single();
			if (Boolean.TRUE.equals(skip)) {
				context.problem("skip", "skip flag set");
				return StepOutcome.skipTenant("marked to skip in the legacy app");
			}
			context.count("things", 1);
			if (!context.dryRun() || writeInDryRun) {
				jdbc.sql("""
						INSERT INTO import_test.firsts (tenant) VALUES (?)
						ON CONFLICT (tenant) DO UPDATE SET runs = import_test.firsts.runs + 1""")
						.param(tenant.key()).update();
			}
			return StepOutcome.done();
		}
	}

	/** Writes one row per tenant; fails once for chosen tenants; holds tenants at a gate to count them in flight. */
	static class SecondStep implements TenantImportStep {

		final JdbcClient jdbc;
		final Set<String> failOnce = ConcurrentHashMap.newKeySet();
		final AtomicInteger inFlight = new AtomicInteger();
		final AtomicInteger maxInFlight = new AtomicInteger();
		volatile CountDownLatch gate;

		SecondStep(JdbcClient jdbc) {
			this.jdbc = jdbc;
		}

		@Override
		public String name() {
			return "test.second";
		}

		@Override
		public StepOutcome importTenant(LegacyTenant tenant, TenantImportContext context) {
			maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
			try {
				CountDownLatch waitFor = gate;
				if (waitFor != null) {
					waitFor.await(60, TimeUnit.SECONDS);
				}
				if (!context.dryRun()) {
					jdbc.sql("INSERT INTO import_test.seconds (tenant) VALUES (?) ON CONFLICT DO NOTHING")
							.param(tenant.key()).update();
				}
				if (failOnce.remove(tenant.key())) {
					throw new IllegalStateException("injected failure");
				}
				return StepOutcome.done();
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(e);
			}
			finally {
				inFlight.decrementAndGet();
			}
		}
	}
}
