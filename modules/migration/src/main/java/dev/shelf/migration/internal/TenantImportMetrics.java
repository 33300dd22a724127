package dev.shelf.migration.internal;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The tenant import's metrics: {@code shelf.tenant_import.tenants{outcome=imported|skipped|failed, mode=run|dry-run}},
 * {@code shelf.tenant_import.problems{mode}} and the time one tenant takes, {@code shelf.tenant_import.tenant.duration}.
 */
class TenantImportMetrics {

	private final MeterRegistry registry;

	TenantImportMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	void tenant(boolean dryRun, String outcome, Duration took, long problems) {
		String mode = dryRun ? "dry-run" : "run";
		Counter.builder("shelf.tenant_import.tenants").tag("outcome", outcome).tag("mode", mode).register(registry)
				.increment();
		if (problems > 0) {
			Counter.builder("shelf.tenant_import.problems").tag("mode", mode).register(registry).increment(problems);
		}
		Timer.builder("shelf.tenant_import.tenant.duration").tag("mode", mode).register(registry).record(took);
	}
}
