package dev.shelf.migration.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.shelf.migration.TenantImportOptions;
import dev.shelf.migration.TenantImportRecord;
import dev.shelf.migration.TenantImportRun;
import dev.shelf.migration.TenantImportStatus;
import dev.shelf.migration.TenantImports;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

/**
 * The operators' GraphQL API of the tenant import ({@code graphql/migration/tenant-imports.graphqls}); every field is
 * {@code @operatorOnly} in the schema.
 */
@Controller
class TenantImportController {

	private static final String TYPE = "TenantImport";
	private static final String OPERATOR = "operator";
	private static final int MAX_PAGE = 250;

	private final TenantImports imports;

	TenantImportController(TenantImports imports) {
		this.imports = imports;
	}

	record UserError(List<String> field, String message, String code) {
	}

	record StartPayload(TenantImportRun tenantImport, List<UserError> userErrors) {
	}

	record Edge(String cursor, TenantImportRecord node) {
	}

	record PageInfo(boolean hasNextPage, boolean hasPreviousPage, String startCursor, String endCursor) {
	}

	record Connection(List<Edge> edges, List<TenantImportRecord> nodes, PageInfo pageInfo) {
	}

	record Count(String name, long value) {
	}

	@QueryMapping
	TenantImportRun tenantImport(@Argument boolean dryRun) {
		return imports.latest(dryRun).orElse(null);
	}

	@QueryMapping
	Connection tenantImportTenants(@Argument boolean dryRun, @Argument TenantImportStatus status, @Argument int first,
			@Argument String after) {
		int size = Math.max(1, Math.min(MAX_PAGE, first));
		long afterId = after == null ? 0 : legacyIdOf(after);
		List<TenantImportRecord> probe = imports.tenants(dryRun, status, afterId, size + 1);
		List<TenantImportRecord> page = probe.subList(0, Math.min(size, probe.size()));
		List<Edge> edges = page.stream().map(record -> new Edge(cursor(record.legacyId()), record)).toList();
		return new Connection(edges, page, new PageInfo(probe.size() > size, after != null,
				edges.isEmpty() ? null : edges.get(0).cursor(), edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor()));
	}

	@MutationMapping
	StartPayload tenantImportStart(@Argument boolean dryRun, @Argument Integer concurrency) {
		int threads = concurrency == null ? 0 : concurrency;
		if (threads < 0 || threads > TenantImportOptions.MAX_CONCURRENCY) {
			return new StartPayload(null, List.of(new UserError(List.of("concurrency"),
					"concurrency is 1 to " + TenantImportOptions.MAX_CONCURRENCY, "INVALID")));
		}
		TenantImports.Started started = imports.start(new TenantImportOptions(dryRun, threads, OPERATOR, null));
		return new StartPayload(started.run(), started.succeeded() ? List.of()
				: List.of(new UserError(List.of(), started.refusal(), "REFUSED")));
	}

	@SchemaMapping(typeName = TYPE)
	long tenantsDone(TenantImportRun run) {
		return run.tenantsDone();
	}

	@SchemaMapping(typeName = TYPE)
	double percentDone(TenantImportRun run) {
		return Math.round(run.fractionDone() * 10_000) / 100.0;
	}

	@SchemaMapping(typeName = TYPE)
	double tenantsPerSecond(TenantImportRun run) {
		return Math.round(run.tenantsPerSecond(Instant.now()) * 10) / 10.0;
	}

	@SchemaMapping(typeName = TYPE)
	Long etaSeconds(TenantImportRun run) {
		double rate = run.tenantsPerSecond(Instant.now());
		if (run.finished()) {
			return 0L;
		}
		return rate <= 0 ? null : Math.round(Math.max(0, run.tenantsTotal() - run.tenantsDone()) / rate);
	}

	@SchemaMapping(typeName = "TenantImportTenant")
	List<Count> counts(TenantImportRecord record) {
		return record.counts().entrySet().stream().map((Map.Entry<String, Long> e) -> new Count(e.getKey(), e.getValue()))
				.toList();
	}

	private static String cursor(long legacyId) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(("tenant:" + legacyId).getBytes(StandardCharsets.UTF_8));
	}

	private static long legacyIdOf(String cursor) {
		try {
			String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
			if (decoded.startsWith("tenant:")) {
				return Long.parseLong(decoded.substring("tenant:".length()));
			}
		}
		catch (IllegalArgumentException e) {
			// falls through to the refusal below
		}
		throw new IllegalArgumentException("Not a cursor of tenantImportTenants: " + cursor);
	}
}
