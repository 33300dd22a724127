package dev.shelf.billing.internal;

import java.util.ArrayList;
import java.util.List;

import dev.shelf.billing.ApiThrottle;
import dev.shelf.catalog.ShopId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * {@link ApiThrottle} on {@code billing.api_buckets}: one upsert finds the limits of the shop's plan (its active
 * subscription), refills, decides, updates and reports.
 */
@Service
class ApiBuckets implements ApiThrottle {

	private final JdbcClient jdbc;

	ApiBuckets(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public Admission admit(ShopId shop, long cost, Limits limits, double refund) {
		List<String> handles = new ArrayList<>(limits.byPlan().keySet());
		// Without limits per plan there is nothing to look up: the plan's part of the statement is left out.
		String plan = handles.isEmpty() ? "SELECT :size AS size, :rate AS rate" : """
				SELECT coalesce(p.size, :size) AS size, coalesce(p.rate, :rate) AS rate
				FROM (SELECT 1) AS one
				LEFT JOIN LATERAL (
				    SELECT l.size, l.rate FROM billing.subscriptions s
				    JOIN unnest(CAST(:handles AS text[]), CAST(:sizes AS bigint[]), CAST(:rates AS bigint[]))
				         AS l(handle, size, rate) ON l.handle = s.plan_handle
				    WHERE s.shop_id = :shop AND s.status = 'ACTIVE'
				    ORDER BY s.activated_at DESC NULLS LAST LIMIT 1) AS p ON true""";
		// The row lock of the upsert serializes a shop's concurrent requests: each sees the bucket the previous left.
		var statement = jdbc.sql("WITH plan AS (" + plan + ")" + """
				INSERT INTO billing.api_buckets AS b (shop_id, available, updated_at, admitted, size, restore_rate)
				SELECT :shop, CASE WHEN :cost <= size THEN size - :cost ELSE size END, now(), :cost <= size, size, rate
				FROM plan
				ON CONFLICT (shop_id) DO UPDATE SET
				    available = billing.refilled(b.available + CAST(:refund AS numeric), b.updated_at, now(), excluded.size, excluded.restore_rate)
				              - CASE WHEN billing.refilled(b.available + CAST(:refund AS numeric), b.updated_at, now(), excluded.size,
				                                           excluded.restore_rate) >= :cost
				                     THEN :cost ELSE 0 END,
				    admitted = billing.refilled(b.available + CAST(:refund AS numeric), b.updated_at, now(), excluded.size,
				                                excluded.restore_rate) >= :cost,
				    size = excluded.size, restore_rate = excluded.restore_rate, updated_at = now()
				RETURNING admitted, available, size, restore_rate""")
				.param("shop", shop.value()).param("cost", cost).param("refund", refund)
				.param("size", limits.standard().size()).param("rate", limits.standard().restoreRate());
		if (!handles.isEmpty()) {
			statement = statement.param("handles", handles.toArray(String[]::new))
					.param("sizes", handles.stream().map(h -> limits.byPlan().get(h).size()).toArray(Long[]::new))
					.param("rates", handles.stream().map(h -> limits.byPlan().get(h).restoreRate()).toArray(Long[]::new));
		}
		return statement
				.query((row, n) -> new Admission(row.getBoolean("admitted"), row.getDouble("available"),
						new Bucket(row.getLong("size"), row.getLong("restore_rate"))))
				.single();
	}
}
