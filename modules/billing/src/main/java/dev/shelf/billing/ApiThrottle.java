package dev.shelf.billing;

import java.util.Map;

import dev.shelf.catalog.ShopId;

/**
 * Each shop's leaky bucket of GraphQL query cost, kept in PostgreSQL so every instance of Shelf shares it. A request
 * is admitted when its requested cost fits in what the bucket holds; the bucket refills at a constant rate up to its
 * size, both set by the shop's plan. One statement per request, plan look-up included.
 */
public interface ApiThrottle {

	/**
	 * Takes {@code cost} points from the shop's bucket if it holds that many (refilled since it was last used);
	 * otherwise takes nothing.
	 *
	 * @param refund points to give back first: what earlier requests were charged beyond their actual cost
	 */
	Admission admit(ShopId shop, long cost, Limits limits, double refund);

	/** A bucket's shape: at most {@code size} points, refilled at {@code restoreRate} points per second. */
	record Bucket(long size, long restoreRate) {

		public Bucket {
			if (size <= 0 || restoreRate <= 0) {
				throw new IllegalArgumentException("A bucket needs a positive size and restore rate");
			}
		}
	}

	/**
	 * The bucket of a shop whose active subscription is on one of {@code byPlan}'s plans (by handle), else
	 * {@code standard}.
	 */
	record Limits(Bucket standard, Map<String, Bucket> byPlan) {

		public Limits {
			byPlan = Map.copyOf(byPlan);
		}

		public static Limits of(Bucket standard) {
			return new Limits(standard, Map.of());
		}
	}

	/** The decision, what the bucket holds after it, and the bucket that applied. */
	record Admission(boolean admitted, double available, Bucket bucket) {

		/** Seconds until the bucket holds {@code cost} points again (0 when admitted). */
		public double secondsUntil(long cost) {
			return admitted ? 0 : Math.max(0, (cost - available) / bucket.restoreRate());
		}
	}
}
