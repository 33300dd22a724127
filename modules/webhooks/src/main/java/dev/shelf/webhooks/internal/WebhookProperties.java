package dev.shelf.webhooks.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param maxBodyBytes larger deliveries are refused with 413 before being read
 * @param workers threads processing the inbox
 * @param pollInterval how often an idle worker looks for due retries (new deliveries wake it at once)
 * @param maxAttempts attempts before a delivery is dead-lettered
 * @param processingLease how long a claimed delivery is left to its worker before another may take it
 * @param retryBaseDelay delay after the first failure; doubled after each further one
 * @param retryMaxDelay the longest delay between attempts
 * @param backlogThreshold pending deliveries beyond which the health indicator reports OUT_OF_SERVICE
 * @param deadThreshold dead deliveries beyond which the health indicator reports DOWN
 * @param bodyRetention how long the raw body of a processed delivery is kept (it holds customers' personal data);
 *     after it the body is set to NULL and {@code body_purged_at} records when
 * @param rowRetention how long a processed delivery's row is kept (its id, topic, outcome — what an operator
 *     investigating a sync needs); after it the row is deleted. Dead deliveries are never purged: they wait for an
 *     operator
 * @param purgeInterval time between the end of one retention purge and the start of the next
 * @param purgeBatchSize rows purged or deleted per statement, each statement its own short transaction (also the
 *     batch size of shop erasures)
 * @param erasureInterval how often pending shop erasures ({@code shop/redact}) are looked for
 */
@ConfigurationProperties("shelf.webhooks")
record WebhookProperties(@DefaultValue("1048576") int maxBodyBytes, @DefaultValue("2") int workers,
		@DefaultValue("500ms") Duration pollInterval, @DefaultValue("8") int maxAttempts,
		@DefaultValue("5m") Duration processingLease,
		@DefaultValue("10s") Duration retryBaseDelay, @DefaultValue("1h") Duration retryMaxDelay,
		@DefaultValue("10000") long backlogThreshold, @DefaultValue("100") long deadThreshold,
		@DefaultValue("7d") Duration bodyRetention, @DefaultValue("30d") Duration rowRetention,
		@DefaultValue("1h") Duration purgeInterval, @DefaultValue("1000") int purgeBatchSize,
		@DefaultValue("10s") Duration erasureInterval) {

	/** Exponential backoff: base, 2 × base, 4 × base, … capped at the maximum. */
	Duration retryDelay(int failedAttempts) {
		Duration delay = retryBaseDelay.multipliedBy(1L << Math.min(failedAttempts - 1, 20));
		return delay.compareTo(retryMaxDelay) > 0 ? retryMaxDelay : delay;
	}
}
