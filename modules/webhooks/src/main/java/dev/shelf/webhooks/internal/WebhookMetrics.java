package dev.shelf.webhooks.internal;

import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/**
 * Every delivery is counted on its way: received, duplicate, rejected (by reason), processed (by outcome), failed,
 * dead, unhandled, and at the end of its retention purged (body, then row); the backlog, the dead letters and the lag
 * of the oldest due delivery are gauges read from the inbox, so they agree across instances.
 */
@Component
class WebhookMetrics {

	private final MeterRegistry registry;

	WebhookMetrics(MeterRegistry registry, Inbox inbox) {
		this.registry = registry;
		Gauge.builder("shelf.webhooks.backlog", inbox, Inbox::pendingCount)
				.description("Deliveries waiting to be processed (including scheduled retries)").register(registry);
		Gauge.builder("shelf.webhooks.dead", inbox, Inbox::deadCount)
				.description("Dead-lettered deliveries waiting for an operator").register(registry);
		Gauge.builder("shelf.webhooks.lag", inbox, Inbox::lagSeconds).baseUnit("seconds")
				.description("Age of the oldest due delivery").register(registry);
	}

	void received(String topic) {
		counter("shelf.webhooks.received", "topic", topic).increment();
	}

	void duplicate(String topic) {
		counter("shelf.webhooks.duplicates", "topic", topic).increment();
	}

	void rejected(String reason) {
		counter("shelf.webhooks.rejected", "reason", reason).increment();
	}

	void deadOnArrival(String topic) {
		counter("shelf.webhooks.rejected", "reason", "malformed_json").increment();
		dead(topic);
	}

	void processed(String topic, String outcome, Instant receivedAt) {
		Counter.builder("shelf.webhooks.processed").tag("topic", topic).tag("outcome", outcome).register(registry)
				.increment();
		Timer.builder("shelf.webhooks.processing.delay").description("From acknowledgement to processed")
				.tag("topic", topic).register(registry).record(Duration.between(receivedAt, Instant.now()));
	}

	void failed(String topic) {
		counter("shelf.webhooks.failures", "topic", topic).increment();
	}

	void dead(String topic) {
		counter("shelf.webhooks.dead.letters", "topic", topic).increment();
	}

	void unhandled(String topic) {
		counter("shelf.webhooks.unhandled", "topic", topic).increment();
	}

	void purgedBodies(long count) {
		Counter.builder("shelf.webhooks.purged.bodies")
				.description("Raw bodies of processed deliveries purged after retention").register(registry).increment(count);
	}

	void purgedRows(long count) {
		Counter.builder("shelf.webhooks.purged.rows").description("Processed deliveries deleted after retention")
				.register(registry).increment(count);
	}

	void purgeFailed() {
		Counter.builder("shelf.webhooks.purge.failures").description("Retention purges that failed")
				.register(registry).increment();
	}

	void privacyRequest(String topic) {
		counter("shelf.webhooks.privacy.requests", "topic", topic).increment();
	}

	void erasureCompleted(long rows) {
		Counter.builder("shelf.webhooks.erasures").description("Shop erasures (shop/redact) completed")
				.register(registry).increment();
		Counter.builder("shelf.webhooks.erased.rows").description("Rows deleted by shop erasures")
				.register(registry).increment(rows);
	}

	void erasureFailed() {
		Counter.builder("shelf.webhooks.erasure.failures").description("Shop erasure runs that failed (retried)")
				.register(registry).increment();
	}

	void replayed(String topic, long count) {
		counter("shelf.webhooks.replayed", "topic", topic).increment(count);
	}

	private Counter counter(String name, String tag, String value) {
		return Counter.builder(name).tag(tag, value).register(registry);
	}
}
