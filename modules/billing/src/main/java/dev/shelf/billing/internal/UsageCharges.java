package dev.shelf.billing.internal;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.shelf.billing.ChargeState;
import dev.shelf.billing.ChargeTransition;
import dev.shelf.billing.UsageCharge;
import dev.shelf.catalog.ShopId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@code billing.usage_charges} table and its audit trail {@code billing.charge_transitions}. Every change of a
 * charge's state is one statement that moves the state only from the expected one (and, for claimed charges, only
 * while the claim is the latest) and writes the transition: no state change without its record, and no two actors
 * can both move a charge from the same state.
 */
@Component
class UsageCharges {

	private static final String COLUMNS = """
			c.id, c.shop_id, c.shopify_order_id, c.amount, c.currency_code, c.description, c.state, c.state_reason,
			c.idempotency_key, c.provider_record_id, c.created_at, c.settled_at
			""";

	private final JdbcClient jdbc;

	UsageCharges(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** A charge as the worker or the reconciler holds it: the claim's attempt number guards every later move. */
	record Claim(UsageCharge charge, Long subscriptionId, Instant periodStartsAt, int attempts,
			String shopifySubscriptionId, String usageLineItemId) {

		ChargeState state() {
			return charge.state();
		}

		/** This claim after the reconciler moved its charge to SUBMITTED to send it again. */
		Claim resent() {
			UsageCharge c = charge;
			return new Claim(new UsageCharge(c.id(), c.shop(), c.shopifyOrderId(), c.amount(), c.currencyCode(),
					c.description(), ChargeState.SUBMITTED, c.stateReason(), c.idempotencyKey(), c.providerRecordId(),
					c.createdAt(), c.settledAt()), subscriptionId, periodStartsAt, attempts, shopifySubscriptionId,
					usageLineItemId);
		}
	}

	record NewCharge(ShopId shop, long shopifyOrderId, Long subscriptionId, Instant periodStartsAt, BigDecimal amount,
			String currencyCode, String description, String idempotencyKey) {
	}

	/**
	 * Inserts the charge in {@code state} with its first transition, unless the order has a charge already.
	 *
	 * @return the new charge, or empty when the order was charged before (by this or a concurrent call)
	 */
	Optional<UsageCharge> insert(NewCharge charge, ChargeState state, String actor, String reason) {
		return jdbc.sql("""
				WITH inserted AS (
				    INSERT INTO billing.usage_charges AS c (shop_id, shopify_order_id, subscription_id, period_starts_at,
				        amount, currency_code, description, idempotency_key, state, state_reason, settled_at)
				    VALUES (:shop, :order, :subscription, :periodStartsAt, :amount, :currency, :description, :key,
				        :state, :reason, CASE WHEN :state IN ('SUCCEEDED', 'FAILED') THEN now() END)
				    ON CONFLICT (shop_id, shopify_order_id) DO NOTHING
				    RETURNING\s""" + COLUMNS + """
				), audit AS (
				    INSERT INTO billing.charge_transitions (shop_id, charge_id, from_state, to_state, actor, reason)
				    SELECT c.shop_id, c.id, NULL, :state, :actor, :reason FROM inserted c
				)
				SELECT * FROM inserted""")
				.param("shop", charge.shop().value()).param("order", charge.shopifyOrderId())
				.param("subscription", charge.subscriptionId(), Types.BIGINT)
				.param("periodStartsAt", Times.utc(charge.periodStartsAt()), Types.TIMESTAMP_WITH_TIMEZONE)
				.param("amount", charge.amount()).param("currency", charge.currencyCode())
				.param("description", charge.description()).param("key", charge.idempotencyKey())
				.param("state", state.name()).param("reason", reason).param("actor", actor)
				.query(UsageCharges::charge).optional();
	}

	/**
	 * Moves a claimed charge from the state it was claimed in, while the claim is still the latest.
	 *
	 * @param nextAttemptAt when the charge is due again; {@code null} leaves it as it is
	 * @param providerRecordId Shopify's usage record id, when known
	 * @return whether the charge moved (not: another actor moved it first, or re-claimed it after a lease ran out)
	 */
	boolean move(Claim claim, ChargeState to, String actor, String reason, Instant nextAttemptAt,
			String providerRecordId) {
		if (!claim.state().next().contains(to)) {
			throw new IllegalStateException("A charge cannot go from " + claim.state() + " to " + to);
		}
		return jdbc.sql("""
				WITH moved AS (
				    UPDATE billing.usage_charges SET state = :to, state_reason = :reason, updated_at = now(),
				        next_attempt_at = coalesce(:nextAttemptAt, next_attempt_at),
				        provider_record_id = coalesce(:recordId, provider_record_id),
				        settled_at = CASE WHEN :to IN ('SUCCEEDED', 'FAILED') THEN now() END
				    WHERE shop_id = :shop AND id = :id AND state = :from AND attempts = :attempts
				    RETURNING shop_id, id
				)
				INSERT INTO billing.charge_transitions (shop_id, charge_id, from_state, to_state, actor, reason)
				SELECT shop_id, id, :from, :to, :actor, :reason FROM moved""")
				.param("shop", claim.charge().shop().value()).param("id", claim.charge().id())
				.param("from", claim.state().name()).param("to", to.name()).param("attempts", claim.attempts())
				.param("reason", reason).param("actor", actor)
				.param("nextAttemptAt", Times.utc(nextAttemptAt), Types.TIMESTAMP_WITH_TIMEZONE)
				.param("recordId", providerRecordId, Types.VARCHAR)
				.update() == 1;
	}

	/**
	 * Claims the next due PENDING charge for sending: marks it SUBMITTED (with its transition), counts the attempt
	 * and leases it, in one autocommitted statement. SKIP LOCKED lets workers of every instance take different
	 * charges. A worker that dies leaves it SUBMITTED; when the lease ends the reconciler settles it.
	 */
	Optional<Claim> claimNextPending(Duration lease) {
		return jdbc.sql("""
				WITH claimed AS (
				    UPDATE billing.usage_charges SET state = 'SUBMITTED', attempts = attempts + 1, updated_at = now(),
				        next_attempt_at = now() + make_interval(secs => :leaseSeconds)
				    WHERE id = (SELECT id FROM billing.usage_charges
				                WHERE state = 'PENDING' AND next_attempt_at <= now()
				                ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
				    RETURNING *
				), audit AS (
				    INSERT INTO billing.charge_transitions (shop_id, charge_id, from_state, to_state, actor, reason)
				    SELECT shop_id, id, 'PENDING', 'SUBMITTED', 'worker', 'sending, attempt ' || attempts FROM claimed
				)
				SELECT\s""" + COLUMNS + """
				, c.subscription_id, c.period_starts_at, c.attempts, s.shopify_subscription_id, s.usage_line_item_id
				FROM claimed c LEFT JOIN billing.subscriptions s ON s.shop_id = c.shop_id AND s.id = c.subscription_id""")
				.param("leaseSeconds", lease.toMillis() / 1000.0)
				.query(UsageCharges::claim).optional();
	}

	/**
	 * Claims up to {@code batch} charges the reconciler must settle: UNKNOWN ones that are due, and SUBMITTED ones
	 * whose sender's lease ran out (the sender died or hung). Counts the attempt and leases them, so concurrent
	 * reconcilers (threads or instances) take disjoint sets, and a stale holder can no longer move them.
	 */
	List<Claim> claimUnsettled(int batch, Duration lease) {
		return jdbc.sql("""
				WITH claimed AS (
				    UPDATE billing.usage_charges SET attempts = attempts + 1, updated_at = now(),
				        next_attempt_at = now() + make_interval(secs => :leaseSeconds)
				    WHERE id = ANY (ARRAY(SELECT id FROM billing.usage_charges
				                          WHERE state IN ('SUBMITTED', 'UNKNOWN') AND next_attempt_at <= now()
				                          ORDER BY next_attempt_at, id LIMIT :batch FOR UPDATE SKIP LOCKED))
				    RETURNING *
				)
				SELECT\s""" + COLUMNS + """
				, c.subscription_id, c.period_starts_at, c.attempts, s.shopify_subscription_id, s.usage_line_item_id
				FROM claimed c LEFT JOIN billing.subscriptions s ON s.shop_id = c.shop_id AND s.id = c.subscription_id
				ORDER BY c.shop_id, c.id""")
				.param("leaseSeconds", lease.toMillis() / 1000.0).param("batch", batch)
				.query(UsageCharges::claim).list();
	}

	Optional<UsageCharge> find(ShopId shop, long id) {
		return jdbc.sql("SELECT " + COLUMNS + " FROM billing.usage_charges c WHERE c.shop_id = :shop AND c.id = :id")
				.param("shop", shop.value()).param("id", id).query(UsageCharges::charge).optional();
	}

	Optional<UsageCharge> findByOrder(ShopId shop, long shopifyOrderId) {
		return jdbc.sql("""
				SELECT\s""" + COLUMNS + """
				 FROM billing.usage_charges c WHERE c.shop_id = :shop AND c.shopify_order_id = :order""")
				.param("shop", shop.value()).param("order", shopifyOrderId).query(UsageCharges::charge).optional();
	}

	/**
	 * {@code size + 1} charges after {@code after} (forward, ascending) or before {@code before} (backward,
	 * descending), walking {@code usage_charges_shop_id_idx}; the extra one tells whether there is more.
	 */
	List<UsageCharge> page(ShopId shop, Long after, Long before, int size, boolean forward) {
		return jdbc.sql("SELECT " + COLUMNS + """
				 FROM billing.usage_charges c
				WHERE c.shop_id = :shop AND c.id > :after AND c.id < :before
				ORDER BY c.id\s""" + (forward ? "ASC" : "DESC") + " LIMIT :limit")
				.param("shop", shop.value()).param("after", after == null ? 0 : after)
				.param("before", before == null ? Long.MAX_VALUE : before).param("limit", size + 1)
				.query(UsageCharges::charge).list();
	}

	/** Whether the shop has a charge with an id on the far side of a cursor: one index probe. */
	boolean exists(ShopId shop, long id, boolean below) {
		return jdbc.sql("SELECT EXISTS (SELECT 1 FROM billing.usage_charges WHERE shop_id = :shop AND id "
				+ (below ? "<=" : ">=") + " :id)")
				.param("shop", shop.value()).param("id", id).query(Boolean.class).single();
	}

	Map<Long, List<ChargeTransition>> transitions(ShopId shop, Collection<Long> chargeIds) {
		if (chargeIds.isEmpty()) {
			return Map.of();
		}
		Map<Long, List<ChargeTransition>> byCharge = new LinkedHashMap<>();
		chargeIds.forEach(id -> byCharge.put(id, new ArrayList<>()));
		jdbc.sql("""
				SELECT charge_id, from_state, to_state, actor, reason, at FROM billing.charge_transitions
				WHERE shop_id = :shop AND charge_id = ANY(:ids) ORDER BY charge_id, id""")
				.param("shop", shop.value()).param("ids", chargeIds.toArray(Long[]::new))
				.query((row, n) -> new ChargeTransition(row.getLong("charge_id"),
						row.getString("from_state") == null ? null : ChargeState.valueOf(row.getString("from_state")),
						ChargeState.valueOf(row.getString("to_state")), row.getString("actor"), row.getString("reason"),
						Times.instant(row, "at")))
				.list().forEach(t -> byCharge.computeIfAbsent(t.chargeId(), id -> new ArrayList<>()).add(t));
		byCharge.replaceAll((id, list) -> Collections.unmodifiableList(list));
		return byCharge;
	}

	long unsettledCount() {
		return jdbc.sql("SELECT count(*) FROM billing.usage_charges WHERE state IN ('PENDING', 'SUBMITTED', 'UNKNOWN')")
				.query(Long.class).single();
	}

	/** Unsettled charges created longer ago than the threshold; reads only the partial index of unsettled charges. */
	long overdueCount(Duration threshold) {
		return jdbc.sql("""
				SELECT count(*) FROM billing.usage_charges
				WHERE state IN ('PENDING', 'SUBMITTED', 'UNKNOWN') AND created_at < now() - make_interval(secs => :seconds)""")
				.param("seconds", threshold.toMillis() / 1000.0).query(Long.class).single();
	}

	private static UsageCharge charge(ResultSet row, int n) throws SQLException {
		return new UsageCharge(row.getLong("id"), new ShopId(row.getLong("shop_id")), row.getLong("shopify_order_id"),
				row.getBigDecimal("amount"), row.getString("currency_code"), row.getString("description"),
				ChargeState.valueOf(row.getString("state")), row.getString("state_reason"),
				row.getString("idempotency_key"), row.getString("provider_record_id"), Times.instant(row, "created_at"),
				Times.instant(row, "settled_at"));
	}

	private static Claim claim(ResultSet row, int n) throws SQLException {
		Long subscription = row.getObject("subscription_id", Long.class);
		return new Claim(charge(row, n), subscription, Times.instant(row, "period_starts_at"),
				row.getInt("attempts"), row.getString("shopify_subscription_id"), row.getString("usage_line_item_id"));
	}
}
