package dev.shelf.migration;

import java.util.List;
import java.util.Optional;

/**
 * The legacy-tenant import: copies each tenant of the legacy app into Shelf through the {@link TenantImportStep}s of
 * the modules, many tenants at once, each one idempotent and resumable. For operators (GraphQL
 * {@code tenantImport…}, the {@code import-tenants} command) and tests.
 */
public interface TenantImports {

	/**
	 * Runs an import on the calling thread until every tenant was worked on.
	 *
	 * @throws IllegalStateException when an import runs already (on this instance, or — for a real run — on another
	 *     one: one runner at a time across instances), or no legacy database is configured
	 */
	TenantImportRun run(TenantImportOptions options);

	/**
	 * Starts an import on a thread of its own and returns once it has begun (or was refused).
	 *
	 * @return the run as it starts, or the refusal
	 */
	Started start(TenantImportOptions options);

	/** This instance's current or last run of the kind; for real runs, another instance's when this one has none. */
	Optional<TenantImportRun> latest(boolean dryRun);

	/**
	 * A page of the tenants' report, in legacy id order: real runs from the state table (every run so far), dry runs
	 * from this instance's last dry run.
	 *
	 * @param status only tenants in this state, or null for all
	 * @param afterLegacyId the page starts after this legacy id (0 for the start)
	 * @param limit at most this many
	 */
	List<TenantImportRecord> tenants(boolean dryRun, TenantImportStatus status, long afterLegacyId, int limit);

	/**
	 * Forgets what the import holds of a tenant that is being erased (Shopify's {@code shop/redact}): its key and its
	 * report. Its identity (a hash of the key) and status stay, so that no later run imports it again from the legacy
	 * app. Idempotent.
	 *
	 * @return whether the import knew the tenant
	 */
	boolean forget(String tenantKey);

	/** The outcome of {@link #start}: the run, or why none started. */
	record Started(TenantImportRun run, String refusal) {

		public boolean succeeded() {
			return refusal == null;
		}
	}
}
