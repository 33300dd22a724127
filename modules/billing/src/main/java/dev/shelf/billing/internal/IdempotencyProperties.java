package dev.shelf.billing.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param ttl how long a key lives after its first request: retries within it are replayed, after it the key is
 *     forgotten (a request with it executes again) and purged
 * @param lease how long an execution holds its key; a retry after that takes the key over and executes again — the
 *     first executor is presumed dead (crashed, killed). Longer than any mutation should take
 * @param retryAfter what a retry that finds its key still executing is told to wait ({@code Retry-After})
 * @param purgeInterval time between the end of one purge of expired keys and the start of the next
 * @param purgeBatchSize keys deleted per statement, each statement its own short transaction
 */
@ConfigurationProperties("shelf.idempotency")
record IdempotencyProperties(@DefaultValue("24h") Duration ttl, @DefaultValue("60s") Duration lease,
		@DefaultValue("1s") Duration retryAfter, @DefaultValue("1h") Duration purgeInterval,
		@DefaultValue("1000") int purgeBatchSize) {

	IdempotencyProperties {
		if (lease.compareTo(ttl) >= 0) {
			throw new IllegalArgumentException("shelf.idempotency.lease must be shorter than shelf.idempotency.ttl");
		}
		if (purgeBatchSize < 1) {
			throw new IllegalArgumentException("shelf.idempotency.purge-batch-size must be at least 1");
		}
	}
}
