package dev.shelf.billing;

import dev.shelf.catalog.ShopId;

/**
 * Each shop's leaky bucket of GraphQL query cost, kept in PostgreSQL so every instance of Shelf shares it. A request
 * is admitted when its requested cost fits in what the bucket holds; the bucket refills at a constant rate up to its
 * size. One statement per request.
 */
public interface ApiThrottle {

	/**
	 * Takes {@code cost} points from the shop's bucket if it holds that many (refilled since it was last used);
	 * otherwise takes nothing.
	 *
	 * @param refund points to give back first: what earlier requests were charged beyond their actual cost
	 */
	Admission admit(ShopId shop, long cost, Bucket bucket, double refund);

	/** A bucket's shape: at most {@code size} points, refilled at {@code restoreRate} points per second. */
	record Bucket(long size, long restoreRate) {

		public Bucket {
			if (size <= 0 || restoreRate <= 0) {
				throw new IllegalArgumentException("A bucket needs a positive size and restore rate");
			}
		}
	}

	/** The decision, and what the bucket holds after it. */
	record Admission(boolean admitted, double available) {

		/** Seconds until the bucket holds {@code cost} points again (0 when admitted). */
		public double secondsUntil(long cost, Bucket bucket) {
			return admitted ? 0 : Math.max(0, (cost - available) / bucket.restoreRate());
		}
	}
}
