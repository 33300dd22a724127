package dev.shelf.migration;

/**
 * How to run an import.
 *
 * @param dryRun map and check every tenant, report every problem, write nothing
 * @param concurrency tenants imported at once (each on its own thread and connections); 0 for the configured default
 * @param actor who started it, for the log and the run's record
 * @param legacy the legacy database to import from; null for the configured one ({@code shelf.migration.legacy.*})
 */
public record TenantImportOptions(boolean dryRun, int concurrency, String actor, LegacyDatabase legacy) {

	public static final int MAX_CONCURRENCY = 64;

	public TenantImportOptions {
		if (concurrency < 0 || concurrency > MAX_CONCURRENCY) {
			throw new IllegalArgumentException("concurrency is 1 to " + MAX_CONCURRENCY + " (0: the default), got "
					+ concurrency);
		}
	}

	public static TenantImportOptions dryRun(int concurrency, String actor) {
		return new TenantImportOptions(true, concurrency, actor, null);
	}

	public static TenantImportOptions run(int concurrency, String actor) {
		return new TenantImportOptions(false, concurrency, actor, null);
	}

	public TenantImportOptions from(LegacyDatabase database) {
		return new TenantImportOptions(dryRun, concurrency, actor, database);
	}
}
