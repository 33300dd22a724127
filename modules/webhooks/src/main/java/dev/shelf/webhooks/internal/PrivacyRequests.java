package dev.shelf.webhooks.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import dev.shelf.catalog.ShopId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@code webhooks.privacy_requests} table: each of Shopify's mandatory privacy requests and what Shelf did about
 * it. Customer requests are completed in the transaction that processes their delivery; a shop erasure is worked
 * off in batches by {@link ShopErasures}, its {@code result} growing batch by batch.
 */
@Component
class PrivacyRequests {

	enum Kind {
		CUSTOMER_DATA_REQUEST, CUSTOMER_REDACT, SHOP_REDACT
	}

	/** A request as operators see it; {@code result} is JSON (the export, or rows changed per table). */
	record Request(long id, Kind kind, String shopDomain, String shopDomainSha256, Long customerId,
			Long shopifyRequestId, long deliveryId, boolean completed, Instant requestedAt, Instant completedAt,
			String result) {
	}

	/** A shop erasure claimed by one runner until {@code leasedUntil}. */
	record Erasure(long id, ShopId shop) {
	}

	private static final String COLUMNS = """
			id, kind, shop_domain, shop_domain_sha256, customer_id, shopify_request_id, delivery_id, status,
			requested_at, completed_at, result::text AS result""";

	private final JdbcClient jdbc;

	PrivacyRequests(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Records a customer request already carried out, with its result (JSON). Once per delivery. */
	void recordCompleted(Kind kind, Inbox.Delivery delivery, Long customerId, Long shopifyRequestId, String resultJson) {
		insert(kind, delivery, customerId, shopifyRequestId, resultJson, "COMPLETED");
	}

	/** Records a shop erasure for {@link ShopErasures} to carry out. */
	void recordPendingErasure(Inbox.Delivery delivery) {
		insert(Kind.SHOP_REDACT, delivery, null, null, "{}", "PENDING");
	}

	private void insert(Kind kind, Inbox.Delivery delivery, Long customerId, Long shopifyRequestId, String resultJson,
			String status) {
		jdbc.sql("""
				INSERT INTO webhooks.privacy_requests (shop_id, shop_domain, shop_domain_sha256, kind, customer_id,
				    shopify_request_id, delivery_id, status, completed_at, result)
				VALUES (:shop, :domain, :domainHash, :kind, :customer, :request, :delivery, :status,
				        CASE WHEN :status = 'COMPLETED' THEN now() END, CAST(:result AS jsonb))
				ON CONFLICT (delivery_id) DO NOTHING""")
				.param("shop", delivery.shop().value()).param("domain", delivery.shopDomain())
				.param("domainHash", sha256(delivery.shopDomain())).param("kind", kind.name())
				.param("customer", customerId, Types.BIGINT).param("request", shopifyRequestId, Types.BIGINT)
				.param("delivery", delivery.id()).param("status", status).param("result", resultJson)
				.update();
	}

	/** Claims the oldest pending shop erasure nobody holds, for {@code lease}. */
	Optional<Erasure> claimErasure(Duration lease) {
		return jdbc.sql("""
				UPDATE webhooks.privacy_requests SET leased_until = now() + make_interval(secs => :lease)
				WHERE id = (SELECT id FROM webhooks.privacy_requests
				            WHERE kind = 'SHOP_REDACT' AND status = 'PENDING'
				              AND (leased_until IS NULL OR leased_until < now())
				            ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
				RETURNING id, shop_id""")
				.param("lease", lease.toMillis() / 1000.0)
				.query((row, n) -> new Erasure(row.getLong("id"), new ShopId(row.getLong("shop_id"))))
				.optional();
	}

	/** Adds one batch's deleted rows to the erasure's result and extends its lease; in the batch's transaction. */
	void addErased(long id, String table, long rows, Duration lease) {
		jdbc.sql("""
				UPDATE webhooks.privacy_requests
				SET result = jsonb_set(result, ARRAY[:table], to_jsonb(coalesce((result ->> :table)::bigint, 0) + :rows)),
				    leased_until = now() + make_interval(secs => :lease)
				WHERE id = :id""")
				.param("id", id).param("table", table).param("rows", rows).param("lease", lease.toMillis() / 1000.0)
				.update();
	}

	/** Closes an erasure: nothing of the shop is left, not even its id or domain here, only the domain's hash. */
	void completeErasure(long id) {
		jdbc.sql("""
				UPDATE webhooks.privacy_requests
				SET status = 'COMPLETED', completed_at = now(), leased_until = NULL, shop_id = NULL, shop_domain = NULL
				WHERE id = :id""").param("id", id).update();
	}

	/** Deletes up to {@code batchSize} of the shop's customer requests (their exports hold personal data). */
	int eraseCustomerRequests(ShopId shop, int batchSize) {
		return jdbc.sql("""
				DELETE FROM webhooks.privacy_requests
				WHERE id = ANY (ARRAY(SELECT id FROM webhooks.privacy_requests
				                      WHERE shop_id = :shop AND kind <> 'SHOP_REDACT' LIMIT :batch))""")
				.param("shop", shop.value()).param("batch", batchSize).update();
	}

	/** Newest first; {@code shopDomain} matches live shops by name and erased ones by the hash of their name. */
	List<Request> list(String shopDomain, Long beforeId, int limit) {
		return jdbc.sql("SELECT " + COLUMNS + """
				 FROM webhooks.privacy_requests
				WHERE (CAST(:domainHash AS text) IS NULL OR shop_domain_sha256 = :domainHash)
				  AND (CAST(:before AS bigint) IS NULL OR id < :before)
				ORDER BY id DESC LIMIT :limit""")
				.param("domainHash", shopDomain == null ? null : sha256(shopDomain))
				.param("before", beforeId, Types.BIGINT).param("limit", limit)
				.query(PrivacyRequests::request).list();
	}

	Optional<Request> find(long id) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM webhooks.privacy_requests WHERE id = :id")
				.param("id", id).query(PrivacyRequests::request).optional();
	}

	static String sha256(String text) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("Every JVM has SHA-256", e);
		}
	}

	private static Request request(ResultSet row, int rowNumber) throws SQLException {
		OffsetDateTime completed = row.getObject("completed_at", OffsetDateTime.class);
		return new Request(row.getLong("id"), Kind.valueOf(row.getString("kind")), row.getString("shop_domain"),
				row.getString("shop_domain_sha256"), row.getObject("customer_id", Long.class),
				row.getObject("shopify_request_id", Long.class), row.getLong("delivery_id"),
				row.getString("status").equals("COMPLETED"), row.getObject("requested_at", OffsetDateTime.class).toInstant(),
				completed == null ? null : completed.toInstant(), row.getString("result"));
	}
}
