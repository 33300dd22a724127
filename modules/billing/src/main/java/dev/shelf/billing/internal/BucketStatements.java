package dev.shelf.billing.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.shelf.billing.ApiThrottle;
import dev.shelf.catalog.ShopId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The statements on {@code billing.api_buckets} behind {@link ApiBuckets}: one upsert that finds the limits of the
 * shop's plan (its active subscription), takes back what the instance gives back, refills, decides, grants a lease,
 * updates and reports; and one update that gives back expired leases of many shops at once.
 */
@Component
class BucketStatements {

	/** What one admission statement decided: the request's admission and the points leased along with it. */
	record Outcome(ApiThrottle.Admission admission, double leased) {
	}

	private final JdbcClient jdbc;

	BucketStatements(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * @param giveBack points the instance gives back first (its lease's rest, what requests were overcharged)
	 * @param lease whether to lease points beyond {@code cost} ({@code billing.lease} decides how many)
	 */
	Outcome admit(ShopId shop, long cost, ApiThrottle.Limits limits, double giveBack, boolean lease) {
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
				INSERT INTO billing.api_buckets AS b (shop_id, available, leased, admitted, updated_at, size, restore_rate)
				SELECT :shop, CASE WHEN :cost <= size THEN size - :cost - l.points ELSE size END, l.points, :cost <= size,
				       now(), size, rate
				FROM plan CROSS JOIN LATERAL (SELECT CASE WHEN :lease THEN billing.lease(size, :cost, size) ELSE 0 END AS points) AS l
				ON CONFLICT (shop_id) DO UPDATE SET
				    (available, leased, admitted) = (
				        SELECT CASE WHEN r.points >= :cost THEN r.points - :cost - l.points ELSE r.points END, l.points,
				               r.points >= :cost
				        FROM (SELECT billing.refilled(b.available + CAST(:giveBack AS numeric), b.updated_at, now(),
				                                      excluded.size, excluded.restore_rate) AS points) AS r
				        CROSS JOIN LATERAL (SELECT CASE WHEN :lease THEN billing.lease(r.points, :cost, excluded.size) ELSE 0 END
				                            AS points) AS l),
				    size = excluded.size, restore_rate = excluded.restore_rate, updated_at = now()
				RETURNING admitted, available, leased, size, restore_rate""")
				.param("shop", shop.value()).param("cost", cost).param("giveBack", giveBack).param("lease", lease)
				.param("size", limits.standard().size()).param("rate", limits.standard().restoreRate());
		if (!handles.isEmpty()) {
			statement = statement.param("handles", handles.toArray(String[]::new))
					.param("sizes", handles.stream().map(h -> limits.byPlan().get(h).size()).toArray(Long[]::new))
					.param("rates", handles.stream().map(h -> limits.byPlan().get(h).restoreRate()).toArray(Long[]::new));
		}
		return statement
				.query((row, n) -> new Outcome(new ApiThrottle.Admission(row.getBoolean("admitted"), row.getDouble("available"),
						new ApiThrottle.Bucket(row.getLong("size"), row.getLong("restore_rate"))), row.getDouble("leased")))
				.single();
	}

	/** Puts points back into the shops' buckets, never above their size. */
	void giveBack(Map<ShopId, Double> pointsByShop) {
		if (pointsByShop.isEmpty()) {
			return;
		}
		List<Long> shops = new ArrayList<>();
		List<Double> points = new ArrayList<>();
		pointsByShop.forEach((shop, shopPoints) -> {
			shops.add(shop.value());
			points.add(shopPoints);
		});
		jdbc.sql("""
				UPDATE billing.api_buckets AS b SET available = least(b.size, b.available + r.points)
				FROM unnest(CAST(:shops AS bigint[]), CAST(:points AS numeric[])) AS r(shop_id, points)
				WHERE b.shop_id = r.shop_id""")
				.param("shops", shops.toArray(Long[]::new)).param("points", points.toArray(Double[]::new))
				.update();
	}
}
