package dev.shelf.webhooks.internal;

import java.time.Duration;

import dev.shelf.migration.QueueWorkers;
import org.springframework.stereotype.Component;

/**
 * Threads that drain the inbox. A new delivery wakes one at once; idle workers still look every poll interval, for
 * retries that became due and for deliveries acknowledged by another instance or before a restart. A failure to
 * reach the inbox loses nothing: the delivery is still PENDING.
 */
@Component
class DeliveryWorkers extends QueueWorkers {

	private final DeliveryProcessor processor;

	DeliveryWorkers(DeliveryProcessor processor, WebhookProperties properties) {
		super("webhook", properties.workers(), properties.pollInterval(), Duration.ofSeconds(10));
		this.processor = processor;
	}

	@Override
	protected boolean workOnNext() {
		return processor.processNext();
	}
}
