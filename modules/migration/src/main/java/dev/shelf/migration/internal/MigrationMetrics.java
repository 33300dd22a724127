package dev.shelf.migration.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

import dev.shelf.migration.BackgroundMigrationProgress;
import dev.shelf.migration.BackgroundMigrationStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The engine's metrics, tagged {@code job}: batches by outcome ({@code succeeded}, {@code failed}, {@code split}),
 * rows migrated, throttling by check, batch durations, and gauges of each job's progress (0–1), rate (rows/s), time
 * left (s, -1 when unknown) and whether it failed (0/1) — read from the last progress the engine computed.
 */
class MigrationMetrics {

	private final MeterRegistry registry;
	private final Map<String, BackgroundMigrationProgress> latest = new ConcurrentHashMap<>();

	MigrationMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	void observe(BackgroundMigrationProgress progress) {
		if (latest.put(progress.name(), progress) == null) {
			gauge("shelf.migration.progress", progress.name(), BackgroundMigrationProgress::fractionDone);
			gauge("shelf.migration.rate", progress.name(), BackgroundMigrationProgress::rowsPerSecond);
			gauge("shelf.migration.eta", progress.name(), p -> p.eta() == null ? -1 : p.eta().toSeconds());
			gauge("shelf.migration.rows.done", progress.name(), BackgroundMigrationProgress::rowsDone);
			gauge("shelf.migration.failed", progress.name(),
					p -> p.status() == BackgroundMigrationStatus.FAILED ? 1 : 0);
		}
	}

	private void gauge(String name, String job, ToDoubleFunction<BackgroundMigrationProgress> value) {
		Gauge.builder(name, latest, all -> all.containsKey(job) ? value.applyAsDouble(all.get(job)) : Double.NaN)
				.tag("job", job).register(registry);
	}

	void batch(String job, String outcome, Duration took, long rows) {
		Counter.builder("shelf.migration.batches").tag("job", job).tag("outcome", outcome).register(registry).increment();
		if (rows > 0) {
			Counter.builder("shelf.migration.rows").tag("job", job).register(registry).increment(rows);
		}
		if (took != null) {
			Timer.builder("shelf.migration.batch.duration").tag("job", job).register(registry).record(took);
		}
	}

	void throttled(String job, String check) {
		Counter.builder("shelf.migration.throttled").tag("job", job).tag("check", check).register(registry).increment();
	}
}
