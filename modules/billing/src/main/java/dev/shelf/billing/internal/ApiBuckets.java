package dev.shelf.billing.internal;

import dev.shelf.billing.ApiThrottle;
import dev.shelf.catalog.ShopId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** {@link ApiThrottle} on {@code billing.api_buckets}: one upsert decides, updates and reports. */
@Service
class ApiBuckets implements ApiThrottle {

	private final JdbcClient jdbc;

	ApiBuckets(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public Admission admit(ShopId shop, long cost, Bucket bucket, double refund) {
		// The row lock of the upsert serializes a shop's concurrent requests: each sees the bucket the previous left.
		return jdbc.sql("""
				INSERT INTO billing.api_buckets AS b (shop_id, available, updated_at, admitted)
				VALUES (:shop, CASE WHEN :cost <= :size THEN :size - :cost ELSE :size END, now(), :cost <= :size)
				ON CONFLICT (shop_id) DO UPDATE SET
				    available = billing.refilled(b.available + CAST(:refund AS numeric), b.updated_at, now(), :size, :rate)
				              - CASE WHEN billing.refilled(b.available + CAST(:refund AS numeric), b.updated_at, now(), :size, :rate) >= :cost
				                     THEN :cost ELSE 0 END,
				    admitted = billing.refilled(b.available + CAST(:refund AS numeric), b.updated_at, now(), :size, :rate) >= :cost,
				    updated_at = now()
				RETURNING admitted, available""")
				.param("shop", shop.value()).param("cost", cost).param("size", bucket.size())
				.param("rate", bucket.restoreRate()).param("refund", refund)
				.query((row, n) -> new Admission(row.getBoolean("admitted"), row.getDouble("available")))
				.single();
	}
}
