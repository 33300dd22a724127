package dev.shelf.webhooks.internal;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Processes deliveries exactly once. A delivery is claimed with a lease (its attempt counted, not due again until the
 * lease ends); then, in one transaction, its row is locked, the topic's handler runs and the row is marked
 * processed — all committed together or not at all. If the handler fails, everything it did is rolled back and the
 * failure is recorded (retry with exponential backoff, then DEAD). If the instance dies at any point, the lease
 * ends and another worker claims the delivery again.
 */
@Component
class DeliveryProcessor {

	private static final Logger log = LoggerFactory.getLogger(DeliveryProcessor.class);

	private final Inbox inbox;
	private final TopicDispatcher dispatcher;
	private final WebhookMetrics metrics;
	private final WebhookProperties properties;
	private final TransactionTemplate transaction;

	DeliveryProcessor(Inbox inbox, TopicDispatcher dispatcher, WebhookMetrics metrics, WebhookProperties properties,
			PlatformTransactionManager transactions) {
		this.inbox = inbox;
		this.dispatcher = dispatcher;
		this.metrics = metrics;
		this.properties = properties;
		this.transaction = new TransactionTemplate(transactions);
	}

	/** @return whether a delivery was due (and is now processed, rescheduled or dead) */
	boolean processNext() {
		Optional<Inbox.Delivery> claimed = inbox.claimNext(properties.processingLease());
		if (claimed.isEmpty()) {
			return false;
		}
		Inbox.Delivery delivery = claimed.get();
		try {
			String outcome = transaction.execute(status -> {
				if (!inbox.lockClaim(delivery)) {
					return null; // its lease ran out and another worker has it now
				}
				String result = dispatcher.dispatch(delivery);
				inbox.markProcessed(delivery.id(), result);
				return result;
			});
			if (outcome != null) {
				metrics.processed(delivery.topic(), outcome, delivery.receivedAt());
			}
		}
		catch (RuntimeException failure) {
			recordFailure(delivery, failure);
		}
		return true;
	}

	private void recordFailure(Inbox.Delivery delivery, RuntimeException failure) {
		int failedAttempts = delivery.attempts();
		String error = failure.getClass().getSimpleName() + ": " + failure.getMessage();
		if (failedAttempts >= properties.maxAttempts()) {
			inbox.markDead(delivery, error);
			metrics.dead(delivery.topic());
			log.error("Webhook delivery {} ({}) is dead after {} attempts: {}", delivery.id(), delivery.topic(),
					failedAttempts, error, failure);
		}
		else {
			inbox.scheduleRetry(delivery, error, properties.retryDelay(failedAttempts));
			metrics.failed(delivery.topic());
			log.warn("Webhook delivery {} ({}) failed attempt {}; retrying in {}: {}", delivery.id(), delivery.topic(),
					failedAttempts, properties.retryDelay(failedAttempts), error);
		}
	}
}
