package dev.shelf.billing;

import java.time.Duration;
import java.util.Map;

import dev.shelf.catalog.ShopId;

/**
 * Each shop's leaky bucket of GraphQL query cost, kept in PostgreSQL so every instance of Shelf shares it. A request
 * is admitted when its requested cost fits in what the bucket holds; the bucket refills at a constant rate up to its
 * size, both set by the shop's plan.
 * <p>
 * At most one statement per request, and none for most requests of a busy shop: an admission may also lease points
 * from the bucket (a tenth of it at most), which this instance then spends on the shop's next requests without
 * asking PostgreSQL, and gives back when the lease expires. Leased points have left the bucket, so instances together
 * never admit more than it holds; while a lease lasts the other instances see the bucket that much emptier.
 */
public interface ApiThrottle {

	/** How long an instance may hold points it leased, unless configured otherwise. */
	Duration DEFAULT_LEASE = Duration.ofSeconds(1);

	/**
	 * Takes {@code cost} points from the shop's bucket (this instance's lease first) if it holds that many, refilled
	 * since it was last used; otherwise takes nothing.
	 */
	Admission admit(ShopId shop, long cost, Limits limits);

	/**
	 * Gives back points taken but not spent, such as what a request was charged beyond its actual cost: they go to
	 * this instance's lease of the shop's bucket, hence to the bucket when the lease expires.
	 */
	void giveBack(ShopId shop, double points);

	/** A bucket's shape: at most {@code size} points, refilled at {@code restoreRate} points per second. */
	record Bucket(long size, long restoreRate) {

		/** What {@code billing.api_buckets.available} can hold, plus one. */
		public static final long MAX_SIZE = 1_000_000_000L;

		public Bucket {
			if (size <= 0 || restoreRate <= 0) {
				throw new IllegalArgumentException("A bucket needs a positive size and restore rate");
			}
			if (size >= MAX_SIZE) {
				throw new IllegalArgumentException("A bucket holds fewer than " + MAX_SIZE + " points (billing.api_buckets)");
			}
		}
	}

	/**
	 * The bucket of a shop whose active subscription is on one of {@code byPlan}'s plans (by handle), else
	 * {@code standard}; {@code lease}: how long an instance may hold leased points ({@link Duration#ZERO}: never lease,
	 * one statement per request).
	 */
	record Limits(Bucket standard, Map<String, Bucket> byPlan, Duration lease) {

		public Limits {
			byPlan = Map.copyOf(byPlan);
			if (lease.isNegative()) {
				throw new IllegalArgumentException("A lease cannot last a negative time");
			}
		}

		public Limits(Bucket standard, Map<String, Bucket> byPlan) {
			this(standard, byPlan, DEFAULT_LEASE);
		}

		public static Limits of(Bucket standard) {
			return new Limits(standard, Map.of());
		}
	}

	/** The decision, what the bucket holds after it (as this instance sees it), and the bucket that applied. */
	record Admission(boolean admitted, double available, Bucket bucket) {

		/** Seconds until the bucket holds {@code cost} points again (0 when admitted). */
		public double secondsUntil(long cost) {
			return admitted ? 0 : Math.max(0, (cost - available) / bucket.restoreRate());
		}
	}
}
