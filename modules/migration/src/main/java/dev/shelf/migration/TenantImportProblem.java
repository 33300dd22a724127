package dev.shelf.migration;

/**
 * A mapping problem met while importing a tenant.
 *
 * @param step the step's name
 * @param field what it is about, e.g. a legacy setting's name
 */
public record TenantImportProblem(String step, String field, String message) {
}
