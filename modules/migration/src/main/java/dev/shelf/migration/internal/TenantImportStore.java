package dev.shelf.migration.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.shelf.migration.LegacyTenant;
import dev.shelf.migration.TenantImportProblem;
import dev.shelf.migration.TenantImportRecord;
import dev.shelf.migration.TenantImportRun;
import dev.shelf.migration.TenantImportStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The tenant import's tables, {@code migration.tenant_imports} and {@code migration.tenant_import_runs}. */
class TenantImportStore {

	static final JsonMapper JSON = JsonMapper.builder().build();

	/** What the report shows of a tenant whose key was forgotten. */
	static final String ERASED = "(erased)";

	private static final String RUN_COLUMNS = "id, status, concurrency, actor, tenants_total, already_settled, "
			+ "imported, skipped, failed, problems, last_error, started_at, finished_at";

	private final JdbcClient jdbc;

	TenantImportStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** What a run needs to know of a tenant's earlier attempts. */
	record Stored(TenantImportStatus status, Set<String> stepsDone) {
	}

	// ---- runs ----

	long startRun(int concurrency, String actor, String legacyUrl, long tenantsTotal) {
		return jdbc.sql("""
				INSERT INTO migration.tenant_import_runs (concurrency, actor, legacy_url, tenants_total)
				VALUES (:concurrency, :actor, :url, :total) RETURNING id""")
				.param("concurrency", concurrency).param("actor", actor)
				.param("url", legacyUrl.replaceFirst("\\?.*", "")).param("total", tenantsTotal)
				.query(Long.class).single();
	}

	void saveRun(TenantImportRun run) {
		jdbc.sql("""
				UPDATE migration.tenant_import_runs SET status = :status, already_settled = :settled, imported = :imported,
				    skipped = :skipped, failed = :failed, problems = :problems, last_error = :error,
				    finished_at = :finished
				WHERE id = :id""")
				.param("id", run.id()).param("status", run.status()).param("settled", run.alreadySettled())
				.param("imported", run.imported()).param("skipped", run.skipped()).param("failed", run.failed())
				.param("problems", run.problems()).param("error", run.lastError())
				.param("finished", run.finishedAt() == null ? null : run.finishedAt().atOffset(java.time.ZoneOffset.UTC))
				.update();
	}

	Optional<TenantImportRun> latestRun() {
		return jdbc.sql("SELECT " + RUN_COLUMNS + " FROM migration.tenant_import_runs ORDER BY id DESC LIMIT 1")
				.query((row, n) -> new TenantImportRun(row.getLong("id"), false, row.getString("status"),
						row.getInt("concurrency"), row.getLong("tenants_total"), row.getLong("already_settled"),
						row.getLong("imported"), row.getLong("skipped"), row.getLong("failed"), row.getLong("problems"),
						row.getString("actor"), instant(row, "started_at"), instant(row, "finished_at"),
						row.getString("last_error")))
				.optional();
	}

	// ---- tenants ----

	/** A tenant's identity in the state table: SHA-256 of its key in lower case, in hex. */
	static String hash(String tenant) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
					.digest(tenant.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("Every JVM has SHA-256", e);
		}
	}

	/** Lists a page of legacy tenants in the state table (once each) and returns the state of each, by key. */
	Map<String, Stored> register(List<LegacyTenant> page) {
		jdbc.sql("""
				INSERT INTO migration.tenant_imports (tenant_hash, tenant, legacy_id)
				SELECT * FROM unnest(:hashes::text[], :tenants::text[], :ids::bigint[])
				ON CONFLICT (tenant_hash) DO NOTHING""")
				.param("hashes", page.stream().map(t -> hash(t.key())).toArray(String[]::new))
				.param("tenants", page.stream().map(LegacyTenant::key).toArray(String[]::new))
				.param("ids", page.stream().map(LegacyTenant::legacyId).toArray(Long[]::new))
				.update();
		return find(page);
	}

	Map<String, Stored> find(List<LegacyTenant> page) {
		Map<String, Stored> byHash = new HashMap<>();
		jdbc.sql("SELECT tenant_hash, status, steps_done FROM migration.tenant_imports WHERE tenant_hash = ANY (:hashes)")
				.param("hashes", page.stream().map(t -> hash(t.key())).toArray(String[]::new))
				.query((ResultSet row) -> {
					byHash.put(row.getString("tenant_hash"), new Stored(TenantImportStatus.valueOf(row.getString("status")),
							Set.of((String[]) row.getArray("steps_done").getArray())));
				});
		Map<String, Stored> states = new HashMap<>();
		page.forEach(tenant -> {
			Stored stored = byHash.get(hash(tenant.key()));
			if (stored != null) {
				states.put(tenant.key(), stored);
			}
		});
		return states;
	}

	/**
	 * Forgets a tenant's key and report (a shop's erasure): its hash and status stay, so no later run imports it again.
	 *
	 * @return whether the import knew the tenant
	 */
	boolean forget(String tenant) {
		return jdbc.sql("""
				UPDATE migration.tenant_imports SET tenant = NULL, report = '{}', reason = NULL, last_error = NULL,
				    updated_at = now()
				WHERE tenant_hash = :hash""")
				.param("hash", hash(tenant)).update() == 1;
	}

	/** Committed at once (autocommit): a tenant killed from here on is found RUNNING, and resumed. */
	void claim(String tenant, long runId) {
		jdbc.sql("""
				UPDATE migration.tenant_imports SET status = 'RUNNING', attempts = attempts + 1, run_id = :run,
				    started_at = now(), updated_at = now()
				WHERE tenant_hash = :hash""")
				.param("hash", hash(tenant)).param("run", runId).update();
	}

	/** In the step's transaction: its report, its name among the steps done, and the skip if it decided one. */
	void stepDone(String tenant, String step, Map<String, Object> report, String skipReason) {
		jdbc.sql("""
				UPDATE migration.tenant_imports SET steps_done = array_append(steps_done, :step),
				    report = report || jsonb_build_object(:step, :report::jsonb),
				    status = CASE WHEN :skip::text IS NULL THEN status ELSE 'SKIPPED' END,
				    reason = :skip::text, last_error = NULL,
				    finished_at = CASE WHEN :skip::text IS NULL THEN NULL ELSE now() END, updated_at = now()
				WHERE tenant_hash = :hash""")
				.param("hash", hash(tenant)).param("step", step).param("report", JSON.writeValueAsString(report))
				.param("skip", skipReason).update();
	}

	void imported(String tenant) {
		jdbc.sql("""
				UPDATE migration.tenant_imports SET status = 'IMPORTED', last_error = NULL, finished_at = now(),
				    updated_at = now()
				WHERE tenant_hash = :hash""")
				.param("hash", hash(tenant)).update();
	}

	void failed(String tenant, String error) {
		jdbc.sql("""
				UPDATE migration.tenant_imports SET status = 'FAILED', last_error = :error, finished_at = now(),
				    updated_at = now()
				WHERE tenant_hash = :hash""")
				.param("hash", hash(tenant)).param("error", error).update();
	}

	List<TenantImportRecord> page(TenantImportStatus status, long afterLegacyId, int limit) {
		return jdbc.sql("""
				SELECT tenant, legacy_id, status, attempts, steps_done, reason, last_error, report, finished_at
				FROM migration.tenant_imports
				WHERE legacy_id > :after AND (:status::text IS NULL OR status = :status::text)
				ORDER BY legacy_id LIMIT :limit""")
				.param("after", afterLegacyId).param("status", status == null ? null : status.name())
				.param("limit", limit)
				.query((row, n) -> record(row.getString("tenant") == null ? ERASED : row.getString("tenant"),
						row.getLong("legacy_id"),
						TenantImportStatus.valueOf(row.getString("status")), row.getLong("attempts"),
						Arrays.asList((String[]) row.getArray("steps_done").getArray()), row.getString("reason"),
						row.getString("last_error"), JSON.readTree(row.getString("report")),
						instant(row, "finished_at")))
				.list();
	}

	/** A tenant's record from its per-step report, {@code {"<step>": {"problems": […], "counts": {…}}}}. */
	static TenantImportRecord record(String tenant, long legacyId, TenantImportStatus status, long attempts,
			List<String> stepsDone, String reason, String lastError, JsonNode report, Instant finishedAt) {
		List<TenantImportProblem> problems = new ArrayList<>();
		Map<String, Long> counts = new LinkedHashMap<>();
		long notKept = 0;
		for (Map.Entry<String, JsonNode> step : report.properties()) {
			for (JsonNode problem : step.getValue().path("problems")) {
				problems.add(new TenantImportProblem(step.getKey(), problem.path("field").asString(),
						problem.path("message").asString()));
			}
			notKept += step.getValue().path("problemsNotKept").asLong(0);
			for (Map.Entry<String, JsonNode> count : step.getValue().path("counts").properties()) {
				counts.put(step.getKey() + "." + count.getKey(), count.getValue().asLong());
			}
		}
		return new TenantImportRecord(tenant, legacyId, status, attempts, List.copyOf(stepsDone), reason, lastError,
				List.copyOf(problems), notKept, counts, finishedAt);
	}

	private static Instant instant(ResultSet row, String column) throws SQLException {
		OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
		return value == null ? null : value.toInstant();
	}
}
