package dev.shelf.billing.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * {@code shelf.idempotency.requests{outcome}}: executed, replayed, conflict (still executing), mismatch (key reused
 * for another request); then what became of executions: released (nothing stored), taken over (lease ran out),
 * lease lost (the response of an execution that was taken over); and the purge.
 */
@Component
class IdempotencyMetrics {

	static final String REQUESTS = "shelf.idempotency.requests";

	private final Counter executed;
	private final Counter replayed;
	private final Counter conflict;
	private final Counter mismatch;
	private final Counter released;
	private final Counter takenOver;
	private final Counter leaseLost;
	private final Counter purged;
	private final Counter purgeFailures;

	IdempotencyMetrics(MeterRegistry registry) {
		executed = outcome(registry, "executed");
		replayed = outcome(registry, "replayed");
		conflict = outcome(registry, "conflict");
		mismatch = outcome(registry, "mismatch");
		released = Counter.builder("shelf.idempotency.released")
				.description("Executions that failed on the server's side: key forgotten, retry executes again")
				.register(registry);
		takenOver = Counter.builder("shelf.idempotency.taken.over")
				.description("Keys whose executor's lease ran out, taken over by a retry").register(registry);
		leaseLost = Counter.builder("shelf.idempotency.lease.lost")
				.description("Responses not stored because the execution's key had been taken over").register(registry);
		purged = Counter.builder("shelf.idempotency.purged").description("Expired keys deleted").register(registry);
		purgeFailures = Counter.builder("shelf.idempotency.purge.failures").description("Purges of expired keys that failed")
				.register(registry);
	}

	private static Counter outcome(MeterRegistry registry, String outcome) {
		return Counter.builder(REQUESTS).tag("outcome", outcome)
				.description("Requests with an Idempotency-Key, by what was done with them").register(registry);
	}

	void executed() {
		executed.increment();
	}

	void replayed() {
		replayed.increment();
	}

	void conflict() {
		conflict.increment();
	}

	void mismatch() {
		mismatch.increment();
	}

	void released() {
		released.increment();
	}

	void takenOver() {
		takenOver.increment();
	}

	void leaseLost() {
		leaseLost.increment();
	}

	void purged(long count) {
		purged.increment(count);
	}

	void purgeFailed() {
		purgeFailures.increment();
	}
}
