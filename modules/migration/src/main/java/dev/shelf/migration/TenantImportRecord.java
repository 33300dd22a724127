package dev.shelf.migration;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One tenant in an import's report.
 *
 * @param reason why it was skipped, or null
 * @param lastError why its last attempt failed, or null
 * @param counts the steps' figures, {@code <step>.<what>} → value, e.g. {@code billing.recent-orders.orders} → 50
 * @param problemsNotKept problems beyond the number kept per tenant (they are counted, not listed)
 */
public record TenantImportRecord(String tenant, long legacyId, TenantImportStatus status, long attempts,
		List<String> stepsDone, String reason, String lastError, List<TenantImportProblem> problems,
		long problemsNotKept, Map<String, Long> counts, Instant finishedAt) {
}
