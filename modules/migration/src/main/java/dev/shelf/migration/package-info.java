/**
 * Migration: how Shelf changes its schema and its data without downtime.
 * <p>
 * Owns the {@code migration} PostgreSQL schema and what every module uses for background work:
 * <ul>
 * <li><b>One instance at a time, and queue threads.</b> {@link dev.shelf.migration.AdvisoryLock} runs work on one
 * instance at a time (purges, the migration runner); {@link dev.shelf.migration.QueueWorkers} are the threads that
 * drain a queue table (webhook deliveries, usage charges), woken when an item is committed.</li>
 * <li><b>Schema per module.</b> Each module declares a {@link dev.shelf.migration.ModuleSchema}, and
 * {@link dev.shelf.migration.ModuleSchemaMigrations} runs that module's Flyway scripts inside its own schema, one
 * schema at a time, in dependency order.</li>
 * <li><b>Batched background migrations.</b> A module that must change the data of a big table declares a
 * {@link dev.shelf.migration.BackgroundMigration} bean (the SPI: name, the primary key to walk, one batch as
 * set-based SQL, an estimate, a final check) and registers it by name from a Flyway script
 * ({@code migration.register_background_migration}) or lets the engine register it at start-up. The engine
 * (package {@code internal}) runs one job at a time across all instances (a PostgreSQL advisory lock), batch after
 * batch, each one short transaction with {@code lock_timeout} and {@code statement_timeout} in which the job's work
 * and the cursor move commit together — so a {@code kill -9} at any moment loses and repeats nothing. Batch sizes are
 * tuned toward a target duration (at most ×2 or ÷2 a step); {@link dev.shelf.migration.DatabasePressureCheck}s (lock
 * waits, long transactions, replication lag built in) and a maximum rate hold batches back; a failing batch is
 * retried, then split down to one row, and a job fails visibly — status {@code FAILED}, its error, the failed
 * attempts in {@code background_migration_batches} — when a row cannot be migrated or too many attempts failed.
 * Operators read progress, rate and time left and pause, resume or retry jobs through
 * {@link dev.shelf.migration.BackgroundMigrations} (GraphQL {@code backgroundMigrations}, the {@code migrations}
 * command, metrics {@code shelf.migration.*}). A later contract script gates on a finished job with
 * {@code SELECT migration.require_completed('<job>')}, which fails the script with the job's state otherwise.</li>
 * <li><b>Legacy-tenant import.</b> {@link dev.shelf.migration.TenantImports} imports the tenants of a legacy app from
 * its own database ({@link dev.shelf.migration.LegacyDatabase}, {@code shelf.migration.legacy.*}). It knows the legacy
 * app only through its SPI: a {@link dev.shelf.migration.LegacyTenantSource} lists the tenants (keyset on their legacy
 * id), and the {@link dev.shelf.migration.TenantImportStep}s of the modules, in {@code @Order}, each import their part
 * of a tenant. A run registers every tenant once in {@code migration.tenant_imports} (identity: SHA-256 of its key),
 * leaves alone those earlier runs settled, and hands the others to a fixed pool of {@code concurrency} threads behind a
 * semaphore of as many permits (at most that many in flight, a hand-over queue that never grows). Each step runs in one
 * transaction with the record that it is done, so a killed run leaves every step done once or not at all and the next
 * run resumes a tenant at its first step not done; a failed step leaves the tenant FAILED with its error, for the next
 * run. Real runs hold a session-level advisory lock (one across instances); dry runs write nothing — their steps run in
 * read-only transactions — and keep their report in memory. Operators: GraphQL {@code tenantImport…}, the
 * {@code import-tenants} command, metrics {@code shelf.tenant_import.*}.</li>
 * </ul>
 * Depends on no other module: it knows jobs only through its SPI, and the SQL of a job lives in the module that owns
 * the job's tables.
 * <p>
 * How data flows through here (tenant import): the legacy source lists a page of tenants → each is registered in
 * {@code tenant_imports} and, unless settled, handed to a pool thread → its steps run one transaction each, the last
 * marks it IMPORTED (or a step SKIPPED it, or it FAILED) → the report is the table.
 * <p>
 * How data flows through here (background migrations): a module's Flyway script registers a job (FINISHED at once where there is nothing to
 * migrate) → the runner starts it, walks its key range batch by batch and records every batch and status change →
 * its final check passes, the job's {@code finish()} runs, the job is FINISHED → the contract script of a later
 * release passes its gate.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {})
package dev.shelf.migration;
