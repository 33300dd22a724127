package dev.shelf.migration;

/**
 * SPI of the tenant import: one step of importing a legacy tenant, implemented by the module that owns the data it
 * writes (the catalog: the shop and its settings; billing: its recent orders) — the engine knows steps only through
 * this interface. Steps run in their beans' {@code @Order}, each tenant's steps one after the other, many tenants at
 * once.
 * <p>
 * The engine calls {@link #importTenant} inside a transaction on Shelf's database that it opens, and in which it also
 * records the step as done: the step's writes and that record commit together or not at all, so a process killed at
 * any moment leaves every step either done once or not done, and the next run resumes the tenant at its first step
 * not done. Rules for an implementation: write through the application's {@code JdbcClient} (so the writes join the
 * engine's transaction); read the legacy app only through {@link TenantImportContext#legacy()}; be idempotent
 * ({@code INSERT … ON CONFLICT}), because an operator may reset a tenant; and in a dry run
 * ({@link TenantImportContext#dryRun()}) write nothing — the engine runs dry steps in a read-only transaction, so a
 * write fails the tenant rather than slipping through — but report every problem a real run would meet.
 */
public interface TenantImportStep {

	/** Unique and stable across releases, {@code <module>.<what>}: the state table records done steps by name. */
	String name();

	/**
	 * Imports this step's part of one tenant; reports mapping problems and counts on {@code context}.
	 *
	 * @return {@link StepOutcome#done()}, or {@link StepOutcome#skipTenant} to stop the tenant here (nothing after
	 *     this step runs), with the reason for the report
	 * @throws RuntimeException when the tenant cannot be imported now: the transaction is rolled back, the tenant is
	 *     FAILED with the error, and the next run tries it again from this step
	 */
	StepOutcome importTenant(LegacyTenant tenant, TenantImportContext context);

	/** What a step decided about a tenant. */
	record StepOutcome(String skipReason) {

		private static final StepOutcome DONE = new StepOutcome(null);

		public static StepOutcome done() {
			return DONE;
		}

		/** The tenant is not imported, for this reason (e.g. uninstalled in the legacy app); its state says why. */
		public static StepOutcome skipTenant(String reason) {
			if (reason == null || reason.isBlank()) {
				throw new IllegalArgumentException("A skipped tenant needs a reason");
			}
			return new StepOutcome(reason);
		}

		public boolean skipsTenant() {
			return skipReason != null;
		}
	}
}
