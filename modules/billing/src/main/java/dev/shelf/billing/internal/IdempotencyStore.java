package dev.shelf.billing.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.UUID;

import dev.shelf.billing.IdempotencyDecision;
import dev.shelf.billing.IdempotencyDecision.Claim;
import dev.shelf.billing.IdempotencyKey;
import dev.shelf.billing.IdempotencyKeys;
import dev.shelf.billing.RequestFingerprint;
import dev.shelf.billing.StoredResponse;
import dev.shelf.catalog.ShopId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The rules of {@link IdempotencyKeys} on {@code billing.idempotency_keys}. Every statement is one autocommitted
 * transaction: the claim must be visible to concurrent retries before the request executes, and the stored
 * response as soon as it is written.
 * <p>
 * The first request with a key wins {@code INSERT … ON CONFLICT DO NOTHING}; every other one reads, in the same
 * statement, the row it lost to and decides from it. Restarting an expired key and taking over an abandoned one are compare-and-set updates
 * (their {@code WHERE} repeats what the decision was based on), so of several retries racing for it exactly one
 * executes. The time comes from the application's {@link Clock} when it defines one (tests do), else the system's.
 */
@Service
class IdempotencyStore implements IdempotencyKeys {

	private static final Logger log = LoggerFactory.getLogger(IdempotencyStore.class);

	/** The row can change (or go) between losing the insert and reading it; then the decision is made again. */
	private static final int ATTEMPTS = 5;

	private final JdbcClient jdbc;
	private final IdempotencyProperties properties;
	private final IdempotencyMetrics metrics;
	private final Clock clock;

	IdempotencyStore(JdbcClient jdbc, IdempotencyProperties properties, IdempotencyMetrics metrics,
			ObjectProvider<Clock> clock) {
		this.jdbc = jdbc;
		this.properties = properties;
		this.metrics = metrics;
		this.clock = clock.getIfUnique(Clock::systemUTC);
	}

	/** The row a request found in place of its own. */
	private record Existing(byte[] fingerprint, UUID leaseToken, Instant lockedUntil, Instant expiresAt,
			StoredResponse response) {
	}

	@Override
	public IdempotencyDecision begin(ShopId shop, IdempotencyKey key, RequestFingerprint fingerprint) {
		byte[] keyHash = key.sha256();
		for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
			Instant now = clock.instant();
			UUID token = UUID.randomUUID();
			Attempt claim = claimOrRead(shop, key, keyHash, fingerprint, token, now);
			if (claim.claimed()) {
				metrics.executed();
				return new IdempotencyDecision.Execute(new Claim(shop, key, token));
			}
			if (claim.existing() == null) {
				// The row the insert lost to is not in the statement's snapshot (committed a moment after it began),
				// or it was released or purged since: try again.
				continue;
			}
			Existing existing = claim.existing();
			if (!existing.expiresAt().isAfter(now)) {
				if (restart(shop, keyHash, fingerprint, token, now, "expires_at <= :now", existing)) {
					metrics.executed();
					return new IdempotencyDecision.Execute(new Claim(shop, key, token));
				}
				continue;
			}
			if (!Arrays.equals(existing.fingerprint(), fingerprint.sha256())) {
				metrics.mismatch();
				log.info("Idempotency-Key '{}' of shop {} was used for a different request: refused", key.value(),
						shop.value());
				return new IdempotencyDecision.Mismatch();
			}
			if (existing.response() != null) {
				metrics.replayed();
				log.debug("Idempotency-Key '{}' of shop {}: stored response replayed", key.value(), shop.value());
				return new IdempotencyDecision.Replay(existing.response());
			}
			if (existing.lockedUntil().isAfter(now)) {
				metrics.conflict();
				log.info("Idempotency-Key '{}' of shop {} is still executing: retry refused", key.value(), shop.value());
				return new IdempotencyDecision.InProgress(properties.retryAfter());
			}
			if (restart(shop, keyHash, fingerprint, token, now, "status = 'IN_PROGRESS' AND lease_token = :seenToken",
					existing)) {
				metrics.takenOver();
				metrics.executed();
				log.warn("Idempotency-Key '{}' of shop {}: its execution's lease ended at {} without a result (executor "
						+ "crashed or too slow); this retry executes again", key.value(), shop.value(),
						existing.lockedUntil());
				return new IdempotencyDecision.Execute(new Claim(shop, key, token));
			}
		}
		throw new IllegalStateException("Idempotency-Key '" + key.value() + "' of shop " + shop.value()
				+ " changed under every one of " + ATTEMPTS + " attempts to claim it");
	}

	/** What one claim statement found: the key claimed for this request, or the row it lost to (when visible). */
	private record Attempt(boolean claimed, Existing existing) {
	}

	/**
	 * One round trip for the first request and for its retries alike: the insert claims the key unless a row has it,
	 * and the same statement reads that row. A data-modifying CTE's own row is invisible to the rest of its
	 * statement, so the read finds only a row that was there before.
	 */
	private Attempt claimOrRead(ShopId shop, IdempotencyKey key, byte[] keyHash, RequestFingerprint fingerprint,
			UUID token, Instant now) {
		return jdbc.sql("""
				WITH claim AS (
				    INSERT INTO billing.idempotency_keys (shop_id, key_hash, key, request_fingerprint, status, lease_token,
				                                          locked_until, created_at, expires_at)
				    VALUES (:shop, :keyHash, :key, :fingerprint, 'IN_PROGRESS', :token, :lockedUntil, :now, :expiresAt)
				    ON CONFLICT (shop_id, key_hash) DO NOTHING
				    RETURNING 1)
				SELECT EXISTS (SELECT FROM claim) AS claimed, k.request_fingerprint, k.status, k.lease_token,
				       k.locked_until, k.expires_at, k.response_status, k.response_content_type, k.response_body
				FROM (VALUES (1)) AS one (x)
				LEFT JOIN billing.idempotency_keys k ON k.shop_id = :shop AND k.key_hash = :keyHash""")
				.param("shop", shop.value()).param("keyHash", keyHash).param("key", key.value())
				.param("fingerprint", fingerprint.sha256()).param("token", token)
				.param("lockedUntil", at(now.plus(properties.lease()))).param("now", at(now))
				.param("expiresAt", at(now.plus(properties.ttl())))
				.query((row, rowNumber) -> new Attempt(row.getBoolean("claimed"),
						row.getObject("expires_at") == null ? null : existing(row, rowNumber)))
				.single();
	}

	/** Claims the row for a new execution if it is still as {@code condition} saw it. */
	private boolean restart(ShopId shop, byte[] keyHash, RequestFingerprint fingerprint, UUID token, Instant now,
			String condition, Existing seen) {
		return jdbc.sql("""
				UPDATE billing.idempotency_keys
				SET request_fingerprint = :fingerprint, status = 'IN_PROGRESS', lease_token = :token,
				    locked_until = :lockedUntil, response_status = NULL, response_content_type = NULL,
				    response_body = NULL, created_at = :now, completed_at = NULL, expires_at = :expiresAt
				WHERE shop_id = :shop AND key_hash = :keyHash""" + " AND " + condition)
				.param("shop", shop.value()).param("keyHash", keyHash).param("fingerprint", fingerprint.sha256())
				.param("token", token).param("lockedUntil", at(now.plus(properties.lease()))).param("now", at(now))
				.param("expiresAt", at(now.plus(properties.ttl())))
				.param("seenToken", seen.leaseToken())
				.update() == 1;
	}

	private static Existing existing(ResultSet row, int rowNumber) throws SQLException {
		boolean completed = "COMPLETED".equals(row.getString("status"));
		OffsetDateTime lockedUntil = row.getObject("locked_until", OffsetDateTime.class);
		return new Existing(row.getBytes("request_fingerprint"), row.getObject("lease_token", UUID.class),
				lockedUntil == null ? null : lockedUntil.toInstant(),
				row.getObject("expires_at", OffsetDateTime.class).toInstant(),
				completed ? new StoredResponse(row.getInt("response_status"), row.getString("response_content_type"),
						row.getBytes("response_body")) : null);
	}

	@Override
	public void complete(Claim claim, StoredResponse response) {
		int stored = jdbc.sql("""
				UPDATE billing.idempotency_keys
				SET status = 'COMPLETED', lease_token = NULL, locked_until = NULL, response_status = :status,
				    response_content_type = :contentType, response_body = :body, completed_at = :now
				WHERE shop_id = :shop AND key_hash = :keyHash AND lease_token = :token""")
				.param("shop", claim.shop().value()).param("keyHash", claim.key().sha256())
				.param("token", claim.leaseToken()).param("status", response.status())
				.param("contentType", response.contentType()).param("body", response.body())
				.param("now", at(clock.instant()))
				.update();
		if (stored == 0) {
			metrics.leaseLost();
			log.warn("Idempotency-Key '{}' of shop {}: the execution finished after its lease ({}) had been taken over "
					+ "by a retry; its response (HTTP {}) is not stored", claim.key().value(), claim.shop().value(),
					properties.lease(), response.status());
		}
	}

	@Override
	public void release(Claim claim) {
		int released = jdbc.sql("""
				DELETE FROM billing.idempotency_keys
				WHERE shop_id = :shop AND key_hash = :keyHash AND lease_token = :token""")
				.param("shop", claim.shop().value()).param("keyHash", claim.key().sha256())
				.param("token", claim.leaseToken())
				.update();
		if (released == 1) {
			metrics.released();
		}
	}

	private static OffsetDateTime at(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}
}
