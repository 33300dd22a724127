package dev.shelf.billing.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import javax.sql.DataSource;

import dev.shelf.migration.AdvisoryLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Deletes expired idempotency keys, so the table holds about one TTL (24 h) of mutations and no more.
 * <p>
 * One instance purges at a time ({@link AdvisoryLock}; an instance that finds it taken skips the run). Keys
 * go oldest first in batches of {@link IdempotencyProperties#purgeBatchSize()}, each one autocommitted statement, so
 * no lock is held for long; each batch starts at the last one's {@code expires_at} (keyset), so it does not wade
 * through the index entries of the rows earlier batches deleted. The batch size is written into the statement
 * rather than bound: with a bound {@code LIMIT} the generic plan cannot know the batch is small and may join
 * against a scan of the whole table (seen with the webhook inbox's purge). Keys being executed or replayed at that
 * moment are skipped ({@code SKIP LOCKED}) and go next time.
 */
@Component
class IdempotencyKeyPurge implements Runnable {

	private static final Logger log = LoggerFactory.getLogger(IdempotencyKeyPurge.class);

	/** "SHELFIK" in ASCII: a constant no other advisory lock of Shelf's database uses. */
	private static final long PURGE_LOCK = 0x5348454C46494BL;

	private final DataSource dataSource;
	private final IdempotencyProperties properties;
	private final IdempotencyMetrics metrics;
	private final Clock clock;

	IdempotencyKeyPurge(DataSource dataSource, IdempotencyProperties properties, IdempotencyMetrics metrics,
			ObjectProvider<Clock> clock) {
		this.dataSource = dataSource;
		this.properties = properties;
		this.metrics = metrics;
		this.clock = clock.getIfUnique(Clock::systemUTC);
	}

	@Override
	public void run() {
		long started = System.nanoTime();
		Instant now = clock.instant();
		try {
			boolean ran = AdvisoryLock.runExclusively(dataSource, PURGE_LOCK, session -> {
				long deleted = purge(session, now);
				log.info("Idempotency key purge: {} keys expired before {} deleted in {} ms", deleted, now,
						Duration.ofNanos(System.nanoTime() - started).toMillis());
			});
			if (!ran) {
				log.info("Idempotency key purge skipped: another instance is purging");
			}
		}
		catch (SQLException | RuntimeException e) {
			// Batches already committed stay deleted; the next run carries on from there.
			metrics.purgeFailed();
			log.error("Idempotency key purge failed; retrying in {}", properties.purgeInterval(), e);
		}
	}

	private long purge(JdbcClient session, Instant now) {
		int batchSize = properties.purgeBatchSize();
		String batch = """
				DELETE FROM billing.idempotency_keys k
				USING (SELECT shop_id, key_hash FROM billing.idempotency_keys
				       WHERE expires_at <= :now AND expires_at >= :after
				       ORDER BY expires_at LIMIT %d FOR UPDATE SKIP LOCKED) due
				WHERE k.shop_id = due.shop_id AND k.key_hash = due.key_hash
				RETURNING k.expires_at""".formatted(batchSize);
		long deleted = 0;
		OffsetDateTime after = Instant.EPOCH.atOffset(ZoneOffset.UTC);
		while (!Thread.currentThread().isInterrupted()) { // shutting down: what is committed stays done
			List<OffsetDateTime> expired = session.sql(batch).param("now", now.atOffset(ZoneOffset.UTC))
					.param("after", after).query(OffsetDateTime.class).list();
			metrics.purged(expired.size());
			deleted += expired.size();
			if (expired.size() < batchSize) {
				break;
			}
			after = expired.stream().max(OffsetDateTime::compareTo).orElseThrow();
		}
		return deleted;
	}
}
