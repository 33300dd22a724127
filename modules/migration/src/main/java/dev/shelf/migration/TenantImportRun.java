package dev.shelf.migration;

import java.time.Duration;
import java.time.Instant;

/**
 * One run of the tenant import, as operators follow it.
 *
 * @param id the run's record in {@code migration.tenant_import_runs}; null for a dry run, which records nothing
 * @param status {@code RUNNING}, {@code FINISHED}, {@code FAILED} (the run itself broke, e.g. the legacy database
 *     was unreachable; see {@code lastError}) or {@code STOPPED} (Shelf shut down; run again to resume)
 * @param tenantsTotal tenants the legacy app has, counted at the start
 * @param alreadySettled tenants an earlier run imported or skipped: left alone
 * @param imported tenants imported by this run (a dry run: that would be)
 * @param skipped tenants a step decided not to import, by this run
 * @param failed tenants whose import failed in this run; the next run tries them again
 * @param problems mapping problems reported in this run
 */
public record TenantImportRun(Long id, boolean dryRun, String status, int concurrency, long tenantsTotal,
		long alreadySettled, long imported, long skipped, long failed, long problems, String actor, Instant startedAt,
		Instant finishedAt, String lastError) {

	public long tenantsDone() {
		return alreadySettled + imported + skipped + failed;
	}

	public boolean finished() {
		return !"RUNNING".equals(status);
	}

	public double fractionDone() {
		return tenantsTotal == 0 ? (finished() ? 1 : 0) : Math.min(1, (double) tenantsDone() / tenantsTotal);
	}

	/** Tenants this run worked on, per second since it started. */
	public double tenantsPerSecond(Instant now) {
		double seconds = Duration.between(startedAt, finishedAt != null ? finishedAt : now).toMillis() / 1000.0;
		return seconds <= 0 ? 0 : (imported + skipped + failed) / seconds;
	}
}
