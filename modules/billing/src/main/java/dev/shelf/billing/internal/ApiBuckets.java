package dev.shelf.billing.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

import dev.shelf.billing.ApiThrottle;
import dev.shelf.catalog.ShopId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * {@link ApiThrottle} on {@code billing.api_buckets}, with leases. An admission that needs the database also leases
 * points beyond the request's cost ({@code billing.lease}: a tenth of the bucket, at most half of what the request
 * leaves); the shop's next requests on this instance are admitted from the lease while it lasts, and what they were
 * overcharged goes back into it. What is left of a lease goes back to the bucket with the
 * shop's next statement, or, once the lease has expired, with the next round of {@link #returnExpiredLeases()}: one
 * statement for all shops.
 * <p>
 * A shop's admissions on this instance take turns (a lock per shop): the bucket's row lock would serialize their
 * statements anyway, and a request waiting for another's statement may then be admitted from the lease it brings.
 */
@Service
class ApiBuckets implements ApiThrottle {

	/** A shop not seen for this long is forgotten (its lease returned first). */
	private static final Duration FORGOTTEN_AFTER = Duration.ofMinutes(1);

	private static final Logger log = LoggerFactory.getLogger(ApiBuckets.class);

	private final BucketStatements statements;
	private final ConcurrentMap<ShopId, Lease> leases = new ConcurrentHashMap<>();
	private final Counter fromLease;
	private final Counter admittedByStatement;
	private final Counter throttledByStatement;
	private final Counter returnFailures;

	ApiBuckets(BucketStatements statements, MeterRegistry registry) {
		this.statements = statements;
		String admissions = "shelf.api.throttle.admissions";
		String description = "GraphQL requests of shops admitted or throttled, from this instance's lease or by a statement";
		this.fromLease = Counter.builder(admissions).description(description)
				.tag("outcome", "admitted").tag("via", "lease").register(registry);
		this.admittedByStatement = Counter.builder(admissions).description(description)
				.tag("outcome", "admitted").tag("via", "statement").register(registry);
		this.throttledByStatement = Counter.builder(admissions).description(description)
				.tag("outcome", "throttled").tag("via", "statement").register(registry);
		this.returnFailures = Counter.builder("shelf.api.throttle.lease-return-failures")
				.description("Rounds that failed to give expired leases back to the buckets (retried in the next round)")
				.register(registry);
	}

	@Override
	public Admission admit(ShopId shop, long cost, Limits limits) {
		while (true) {
			Lease lease = leases.computeIfAbsent(shop, s -> new Lease(System.nanoTime()));
			lease.lock.lock();
			try {
				if (!lease.forgotten) {
					return admit(shop, cost, limits, lease);
				}
			}
			finally {
				lease.lock.unlock();
			}
		}
	}

	private Admission admit(ShopId shop, long cost, Limits limits, Lease lease) {
		long now = System.nanoTime();
		lease.lastUsed = now;
		if (lease.bucket != null && now - lease.expiresAt < 0 && lease.points >= cost) {
			lease.points -= cost;
			fromLease.increment();
			return new Admission(true, lease.available(now), lease.bucket);
		}
		// Should the statement fail, the points stay in the lease: nothing is given back twice or lost.
		BucketStatements.Outcome outcome = statements.admit(shop, cost, limits, lease.points, !limits.lease().isZero());
		Admission admission = outcome.admission();
		lease.points = outcome.leased();
		lease.expiresAt = now + limits.lease().toNanos();
		lease.bucket = admission.bucket();
		lease.bucketAvailable = admission.available();
		lease.seenAt = now;
		(admission.admitted() ? admittedByStatement : throttledByStatement).increment();
		return new Admission(admission.admitted(), lease.available(now), admission.bucket());
	}

	@Override
	public void giveBack(ShopId shop, double points) {
		if (points <= 0) {
			return;
		}
		while (true) {
			Lease lease = leases.computeIfAbsent(shop, s -> new Lease(System.nanoTime()));
			lease.lock.lock();
			try {
				if (!lease.forgotten) {
					lease.points += points;
					return;
				}
			}
			finally {
				lease.lock.unlock();
			}
		}
	}

	@Scheduled(fixedDelay = 200)
	void returnExpiredLeases() {
		returnLeases(false);
	}

	@PreDestroy
	void returnAllLeases() {
		returnLeases(true);
	}

	private void returnLeases(boolean all) {
		long now = System.nanoTime();
		Map<ShopId, Double> returned = new HashMap<>();
		leases.forEach((shop, lease) -> {
			if (!lease.lock.tryLock()) {
				return; // being used: the statement it may be running gives the rest back
			}
			try {
				if (lease.points > 0 && (all || now - lease.expiresAt >= 0)) {
					returned.put(shop, lease.points);
					lease.points = 0;
				}
				if (lease.points == 0 && now - lease.lastUsed > FORGOTTEN_AFTER.toNanos()) {
					lease.forgotten = true;
					leases.remove(shop, lease);
				}
			}
			finally {
				lease.lock.unlock();
			}
		});
		try {
			statements.giveBack(returned);
		}
		catch (RuntimeException e) {
			returnFailures.increment();
			log.warn("Could not give {} expired lease(s) back to the shops' buckets; keeping them for the next round",
					returned.size(), e);
			returned.forEach(this::giveBack);
		}
	}

	/** This instance's lease of one shop's bucket, and what it last saw of the bucket. */
	private static final class Lease {

		final ReentrantLock lock = new ReentrantLock();
		/** Points leased or given back, not yet spent nor returned to the bucket. */
		double points;
		/** {@link System#nanoTime()} from which the points belong back in the bucket. */
		long expiresAt;
		long lastUsed;
		/** The bucket as the last statement saw it; {@code null} before the first. */
		ApiThrottle.Bucket bucket;
		double bucketAvailable;
		long seenAt;
		/** Removed from the map: whoever holds it must look the shop up again. */
		boolean forgotten;

		Lease(long now) {
			this.expiresAt = now;
			this.lastUsed = now;
		}

		/** What the bucket holds as this instance sees it: refilled since its last statement, plus the lease. */
		double available(long now) {
			double refilled = bucketAvailable + bucket.restoreRate() * ((now - seenAt) / 1e9);
			return Math.min(bucket.size(), refilled + points);
		}
	}
}
