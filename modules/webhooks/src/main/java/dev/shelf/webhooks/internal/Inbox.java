package dev.shelf.webhooks.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.sql.Types;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import dev.shelf.catalog.ShopId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code webhooks.deliveries} table: every verified delivery, its state and its last error. */
@Component
class Inbox {

	private final JdbcClient jdbc;

	Inbox(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** A verified delivery as received. */
	record Arrival(ShopId shop, String webhookId, String topic, String shopDomain, String eventId, Instant triggeredAt,
			String apiVersion, byte[] body) {
	}

	/** A delivery claimed for processing. */
	record Delivery(long id, ShopId shop, String topic, String shopDomain, Instant triggeredAt, Instant receivedAt,
			byte[] body, int attempts) {
	}

	/**
	 * Stores the delivery unless one with its webhook id is there already; one statement, decided by the unique
	 * constraint, so any number of simultaneous duplicates insert exactly one row.
	 *
	 * @param malformedBecause non-null stores it dead on arrival with this error: it can never be processed
	 * @return {@code true} if stored, {@code false} for a duplicate
	 */
	boolean store(Arrival arrival, String malformedBecause) {
		return jdbc.sql("""
				INSERT INTO webhooks.deliveries (shop_id, webhook_id, topic, shop_domain, event_id, triggered_at,
				                                 api_version, body, status, last_error)
				VALUES (:shop, :webhookId, :topic, :domain, :eventId, :triggeredAt, :apiVersion, :body, :status, :error)
				ON CONFLICT (shop_id, webhook_id) DO NOTHING""")
				.param("shop", arrival.shop().value())
				.param("webhookId", arrival.webhookId())
				.param("topic", arrival.topic())
				.param("domain", arrival.shopDomain())
				.param("eventId", arrival.eventId())
				.param("triggeredAt", utc(arrival.triggeredAt()))
				.param("apiVersion", arrival.apiVersion())
				.param("body", arrival.body())
				.param("status", malformedBecause == null ? "PENDING" : "DEAD")
				.param("error", malformedBecause)
				.update() == 1;
	}

	/**
	 * Claims the next due delivery with a lease: one statement that counts the attempt and makes the delivery
	 * not-due until the lease ends. SKIP LOCKED lets workers on any instance each take a different one. A worker
	 * that dies leaves the delivery to be claimed again when its lease ends.
	 */
	Optional<Delivery> claimNext(Duration lease) {
		return jdbc.sql("""
				UPDATE webhooks.deliveries SET attempts = attempts + 1,
				    next_attempt_at = now() + make_interval(secs => :leaseSeconds)
				WHERE id = (SELECT id FROM webhooks.deliveries
				            WHERE status = 'PENDING' AND next_attempt_at <= now()
				            ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
				RETURNING id, shop_id, topic, shop_domain, triggered_at, received_at, body, attempts""")
				.param("leaseSeconds", lease.toMillis() / 1000.0)
				.query(Inbox::delivery).optional();
	}

	/**
	 * Locks a claimed delivery for the caller's transaction, if the claim still holds (no other worker re-claimed
	 * it after a lease ran out): what makes the handler and {@link #markProcessed} happen once.
	 */
	boolean lockClaim(Delivery delivery) {
		return jdbc.sql("""
				SELECT EXISTS (SELECT 1 FROM webhooks.deliveries
				               WHERE id = :id AND status = 'PENDING' AND attempts = :attempts FOR UPDATE)""")
				.param("id", delivery.id()).param("attempts", delivery.attempts())
				.query(Boolean.class).single();
	}

	void markProcessed(long id, String outcome) {
		jdbc.sql("""
				UPDATE webhooks.deliveries SET status = 'PROCESSED', outcome = :outcome, processed_at = now(),
				    last_error = NULL
				WHERE id = :id""")
				.param("id", id).param("outcome", outcome).update();
	}

	void scheduleRetry(Delivery delivery, String error, Duration delay) {
		jdbc.sql("""
				UPDATE webhooks.deliveries SET last_error = :error, next_attempt_at = now() + make_interval(secs => :delaySeconds)
				WHERE id = :id AND status = 'PENDING' AND attempts = :attempts""")
				.param("id", delivery.id()).param("attempts", delivery.attempts()).param("error", error)
				.param("delaySeconds", delay.toMillis() / 1000.0).update();
	}

	void markDead(Delivery delivery, String error) {
		jdbc.sql("""
				UPDATE webhooks.deliveries SET status = 'DEAD', last_error = :error
				WHERE id = :id AND status = 'PENDING' AND attempts = :attempts""")
				.param("id", delivery.id()).param("attempts", delivery.attempts()).param("error", error).update();
	}

	long pendingCount() {
		return jdbc.sql("SELECT count(*) FROM webhooks.deliveries WHERE status = 'PENDING'").query(Long.class).single();
	}

	long deadCount() {
		return jdbc.sql("SELECT count(*) FROM webhooks.deliveries WHERE status = 'DEAD'").query(Long.class).single();
	}

	/** Seconds the oldest due delivery has been waiting; 0 without a backlog. */
	double lagSeconds() {
		return jdbc.sql("""
				SELECT coalesce(extract(epoch FROM now() - min(received_at)), 0) FROM webhooks.deliveries
				WHERE status = 'PENDING' AND next_attempt_at <= now()""")
				.query(Double.class).single();
	}

	/** Where a delivery stands, as operators see it. */
	enum State {
		/** Waiting for its first attempt. */
		QUEUED("status = 'PENDING' AND last_error IS NULL"),
		/** Failed at least once; another attempt is scheduled. */
		RETRYING("status = 'PENDING' AND last_error IS NOT NULL"),
		/** Failed every attempt, or can never succeed; waits for an operator. */
		DEAD("status = 'DEAD'"),
		PROCESSED("status = 'PROCESSED'");

		final String condition;

		State(String condition) {
			this.condition = condition;
		}

		static State of(String status, String lastError) {
			return switch (status) {
				case "PENDING" -> lastError == null ? QUEUED : RETRYING;
				case "DEAD" -> DEAD;
				default -> PROCESSED;
			};
		}
	}

	/** A delivery with its whole history, for operators. */
	record Record(long id, String webhookId, String topic, String shopDomain, String apiVersion, String eventId,
			Instant triggeredAt, Instant receivedAt, State state, int attempts, Instant nextAttemptAt, String lastError,
			String outcome, Instant processedAt, int replays, Instant lastReplayedAt, byte[] body, Instant bodyPurgedAt) {
	}

	private static final String RECORD_COLUMNS = """
			id, webhook_id, topic, shop_domain, api_version, event_id, triggered_at, received_at, status, attempts,
			next_attempt_at, last_error, outcome, processed_at, replays, last_replayed_at, body, body_purged_at""";

	/** Newest first, {@code limit} after the delivery {@code beforeId} (exclusive; {@code null} from the newest). */
	List<Record> list(State state, String topic, String shopDomain, Long beforeId, int limit) {
		return jdbc.sql("SELECT " + RECORD_COLUMNS + " FROM webhooks.deliveries WHERE " + state.condition + """
				  AND (CAST(:topic AS text) IS NULL OR topic = :topic)
				  AND (CAST(:domain AS text) IS NULL OR shop_domain = :domain)
				  AND (CAST(:before AS bigint) IS NULL OR id < :before)
				ORDER BY id DESC LIMIT :limit""")
				.param("topic", topic).param("domain", shopDomain).param("before", beforeId, Types.BIGINT)
				.param("limit", limit)
				.query(Inbox::record).list();
	}

	Optional<Record> find(long id) {
		return jdbc.sql("SELECT " + RECORD_COLUMNS + " FROM webhooks.deliveries WHERE id = :id")
				.param("id", id).query(Inbox::record).optional();
	}

	/**
	 * Queues a delivery again at an operator's request. A dead one gets a fresh set of attempts; a pending one just
	 * becomes due now (its attempt count stays, so a worker holding an older claim cannot also process it). A
	 * processed one is left alone: replaying twice processes once.
	 *
	 * @return whether the delivery was queued (false: processed already, or no such delivery)
	 */
	boolean replay(long id) {
		return jdbc.sql("""
				UPDATE webhooks.deliveries SET
				    attempts = CASE WHEN status = 'DEAD' THEN 0 ELSE attempts END,
				    status = 'PENDING', next_attempt_at = now(), replays = replays + 1, last_replayed_at = now()
				WHERE id = :id AND status IN ('PENDING', 'DEAD')""")
				.param("id", id).update() == 1;
	}

	/**
	 * Queues up to {@code batchSize} dead deliveries of a topic again, each with a fresh set of attempts.
	 *
	 * @return how many were queued; fewer than the batch size when none are left
	 */
	int replayDead(String topic, String shopDomain, int batchSize) {
		return jdbc.sql("""
				UPDATE webhooks.deliveries SET attempts = 0, status = 'PENDING', next_attempt_at = now(),
				    replays = replays + 1, last_replayed_at = now()
				WHERE id = ANY (ARRAY(SELECT id FROM webhooks.deliveries
				                      WHERE status = 'DEAD' AND topic = :topic
				                        AND (CAST(:domain AS text) IS NULL OR shop_domain = :domain)
				                      LIMIT :batch FOR UPDATE SKIP LOCKED))""")
				.param("topic", topic).param("domain", shopDomain).param("batch", batchSize).update();
	}

	/** A stored body, for finding a customer's personal data. */
	record StoredBody(long id, String topic, Instant receivedAt, byte[] body) {
	}

	/** The shop's deliveries that still have a body, in id order, {@code limit} after {@code afterId}. */
	List<StoredBody> bodies(ShopId shop, long afterId, int limit) {
		return jdbc.sql("""
				SELECT id, topic, received_at, body FROM webhooks.deliveries
				WHERE shop_id = :shop AND body IS NOT NULL AND id > :after ORDER BY id LIMIT :limit""")
				.param("shop", shop.value()).param("after", afterId).param("limit", limit)
				.query((row, n) -> new StoredBody(row.getLong("id"), row.getString("topic"),
						row.getObject("received_at", OffsetDateTime.class).toInstant(), row.getBytes("body")))
				.list();
	}

	/**
	 * Removes the bodies of these deliveries of the shop (a customer's redaction). One that was still waiting to be
	 * processed can no longer be: it is closed as processed with the outcome {@code REDACTED}.
	 */
	int redactBodies(ShopId shop, Collection<Long> ids) {
		return jdbc.sql("""
				UPDATE webhooks.deliveries SET body = NULL, body_purged_at = now(),
				    outcome = CASE WHEN status = 'PROCESSED' THEN outcome ELSE 'REDACTED' END,
				    processed_at = coalesce(processed_at, now()), status = 'PROCESSED'
				WHERE shop_id = :shop AND id = ANY (:ids)""")
				.param("shop", shop.value()).param("ids", ids.toArray(Long[]::new)).update();
	}

	/** Deletes up to {@code batchSize} of the shop's deliveries ({@code shop/redact}). */
	int eraseBatch(ShopId shop, int batchSize) {
		return jdbc.sql("""
				DELETE FROM webhooks.deliveries
				WHERE id = ANY (ARRAY(SELECT id FROM webhooks.deliveries WHERE shop_id = :shop LIMIT :batch))""")
				.param("shop", shop.value()).param("batch", batchSize).update();
	}

	private static Record record(ResultSet row, int rowNumber) throws SQLException {
		return new Record(row.getLong("id"), row.getString("webhook_id"), row.getString("topic"),
				row.getString("shop_domain"), row.getString("api_version"), row.getString("event_id"),
				instant(row, "triggered_at"), instant(row, "received_at"),
				State.of(row.getString("status"), row.getString("last_error")), row.getInt("attempts"),
				row.getString("status").equals("PENDING") ? instant(row, "next_attempt_at") : null,
				row.getString("last_error"), row.getString("outcome"), instant(row, "processed_at"), row.getInt("replays"),
				instant(row, "last_replayed_at"), row.getBytes("body"), instant(row, "body_purged_at"));
	}

	private static Instant instant(ResultSet row, String column) throws SQLException {
		OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
		return value == null ? null : value.toInstant();
	}

	private static Delivery delivery(ResultSet row, int rowNumber) throws SQLException {
		OffsetDateTime triggered = row.getObject("triggered_at", OffsetDateTime.class);
		return new Delivery(row.getLong("id"), new ShopId(row.getLong("shop_id")), row.getString("topic"),
				row.getString("shop_domain"), triggered == null ? null : triggered.toInstant(),
				row.getObject("received_at", OffsetDateTime.class).toInstant(), row.getBytes("body"), row.getInt("attempts"));
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
	}
}
