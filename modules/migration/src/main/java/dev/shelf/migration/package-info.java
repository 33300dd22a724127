/**
 * Migration: how Shelf changes its data without downtime.
 * <p>
 * Owns the {@code migration} PostgreSQL schema and the orchestration of every module's Flyway scripts: each
 * module declares a {@link dev.shelf.migration.ModuleSchema} and {@link dev.shelf.migration.ModuleSchemaMigrations}
 * migrates them one schema at a time, in dependency order. The batched background migration engine and the
 * tenant-import engine arrive here too, known to other modules only through this package.
 * <p>
 * Depends on no other module. How data flows through here: a module registers its schema → at start-up Flyway
 * applies that module's pending scripts inside its own schema → the history of each schema stays in that schema.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {})
package dev.shelf.migration;
