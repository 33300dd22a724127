package dev.shelf.webhooks.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongConsumer;

import javax.sql.DataSource;

import dev.shelf.migration.AdvisoryLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps the inbox from growing without bound and from keeping customers' personal data longer than needed: processed
 * deliveries lose their raw body after {@link WebhookProperties#bodyRetention()} and their row after
 * {@link WebhookProperties#rowRetention()}. Dead deliveries are never touched: they wait for an operator.
 * <p>
 * One instance purges at a time ({@link AdvisoryLock}; an instance that finds it taken skips the run). Work is done
 * in batches of at most {@link WebhookProperties#purgeBatchSize()} rows, each one autocommitted statement, so no lock
 * is held for long, and walks a keyset over {@code (processed_at, id)} — the order of the partial indexes that hold
 * exactly the candidates (V3) — so a batch never rescans what earlier batches removed.
 * The batch is chosen as an array, not {@code id IN (subquery)}: with the batch size a parameter, PostgreSQL's
 * generic plan for {@code IN} hash-joins against a sequential scan of the whole table.
 * <p>
 * Runs on the schedule set in {@link WebhooksConfiguration}; {@link #run()} is one complete purge.
 */
@Component
class DeliveryRetention implements Runnable {

	private static final Logger log = LoggerFactory.getLogger(DeliveryRetention.class);

	/** "SHELFWP" in ASCII: any constant no other advisory lock of Shelf's database uses. */
	private static final long PURGE_LOCK = 0x5348454C465750L;

	private static final Key START = new Key(Instant.EPOCH.atOffset(ZoneOffset.UTC), 0);

	private final DataSource dataSource;
	private final WebhookMetrics metrics;
	private final WebhookProperties properties;

	DeliveryRetention(DataSource dataSource, WebhookMetrics metrics, WebhookProperties properties) {
		this.dataSource = dataSource;
		this.metrics = metrics;
		this.properties = properties;
	}

	/** A position in the purge order. */
	private record Key(OffsetDateTime processedAt, long id) {

		static final Comparator<Key> ORDER = Comparator.comparing(Key::processedAt).thenComparingLong(Key::id);
	}

	@Override
	public void run() {
		long started = System.nanoTime();
		try {
			boolean ran = AdvisoryLock.runExclusively(dataSource, PURGE_LOCK, session -> {
				// Rows first: a body about to be deleted with its row is not worth purging separately.
				long rows = purge(session, """
						DELETE FROM webhooks.deliveries
						WHERE id = ANY (ARRAY(SELECT id FROM webhooks.deliveries
						                      WHERE status = 'PROCESSED' AND processed_at < now() - make_interval(secs => :retention)
						                        AND (processed_at, id) > (:afterAt, :afterId)
						                      ORDER BY processed_at, id LIMIT :batch FOR UPDATE SKIP LOCKED))
						RETURNING processed_at, id""", properties.rowRetention(), metrics::purgedRows);
				long bodies = purge(session, """
						UPDATE webhooks.deliveries SET body = NULL, body_purged_at = now()
						WHERE id = ANY (ARRAY(SELECT id FROM webhooks.deliveries
						                      WHERE status = 'PROCESSED' AND body_purged_at IS NULL
						                        AND processed_at < now() - make_interval(secs => :retention)
						                        AND (processed_at, id) > (:afterAt, :afterId)
						                      ORDER BY processed_at, id LIMIT :batch FOR UPDATE SKIP LOCKED))
						RETURNING processed_at, id""", properties.bodyRetention(), metrics::purgedBodies);
				log.info("Webhook retention purge: {} bodies purged (processed over {} ago), {} rows deleted "
						+ "(processed over {} ago) in {} ms", bodies, properties.bodyRetention(), rows,
						properties.rowRetention(), Duration.ofNanos(System.nanoTime() - started).toMillis());
			});
			if (!ran) {
				log.info("Webhook retention purge skipped: another instance is purging");
			}
		}
		catch (SQLException | RuntimeException e) {
			// Batches already committed stay purged; the next run carries on from there.
			metrics.purgeFailed();
			log.error("Webhook retention purge failed; retrying in {}", properties.purgeInterval(), e);
		}
	}

	/**
	 * @param committed told each batch's count as soon as it is committed, so the metric is right even if a later
	 *     batch fails
	 * @return how many rows the statement changed, over as many batches as it takes
	 */
	private long purge(JdbcClient session, String batchStatement, Duration retention, LongConsumer committed) {
		long purged = 0;
		Key after = START;
		while (!Thread.currentThread().isInterrupted()) { // shutting down: what is committed stays done
			List<Key> batch = session.sql(batchStatement)
					.param("retention", retention.toMillis() / 1000.0)
					.param("afterAt", after.processedAt()).param("afterId", after.id())
					.param("batch", properties.purgeBatchSize())
					.query(DeliveryRetention::key).list();
			committed.accept(batch.size());
			purged += batch.size();
			if (batch.size() < properties.purgeBatchSize()) {
				break;
			}
			after = batch.stream().max(Key.ORDER).orElseThrow();
		}
		return purged;
	}

	private static Key key(ResultSet row, int rowNumber) throws SQLException {
		return new Key(row.getObject("processed_at", OffsetDateTime.class), row.getLong("id"));
	}
}
