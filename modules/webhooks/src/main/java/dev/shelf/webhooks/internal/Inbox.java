package dev.shelf.webhooks.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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
