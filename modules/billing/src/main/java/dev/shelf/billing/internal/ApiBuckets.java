package dev.shelf.billing.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
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
 * Admissions from a lease are lock-free; a shop's statements on this instance take turns (the bucket's row lock would
 * serialize them anyway), and a request that waited for another's statement may then be admitted from the lease it
 * brought.
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
			long now = System.nanoTime();
			Lease lease = lease(shop, now);
			Admission fromTheLease = lease.take(cost, now);
			if (fromTheLease != null) {
				fromLease.increment();
				return fromTheLease;
			}
			lease.statement.lock();
			try {
				if (!lease.forgotten) {
					return admitByStatement(shop, cost, limits, lease, now);
				}
			}
			finally {
				lease.statement.unlock();
			}
		}
	}

	private Admission admitByStatement(ShopId shop, long cost, Limits limits, Lease lease, long now) {
		// Another request of the shop may have brought a new lease while this one waited for its turn.
		Admission fromTheLease = lease.take(cost, now);
		if (fromTheLease != null) {
			fromLease.increment();
			return fromTheLease;
		}
		long giveBack = lease.milliPoints.getAndSet(0);
		BucketStatements.Outcome outcome;
		try {
			outcome = statements.admit(shop, cost, limits, giveBack / 1000.0, !limits.lease().isZero());
		}
		catch (RuntimeException e) {
			lease.milliPoints.addAndGet(giveBack); // nothing was given back: keep the points for the next statement
			throw e;
		}
		Admission admission = outcome.admission();
		lease.milliPoints.addAndGet(Math.round(outcome.leased() * 1000));
		lease.seen = new Seen(admission.bucket(), admission.available(), now, now + limits.lease().toNanos());
		(admission.admitted() ? admittedByStatement : throttledByStatement).increment();
		return new Admission(admission.admitted(), lease.available(now), admission.bucket());
	}

	@Override
	public void giveBack(ShopId shop, double points) {
		long milliPoints = (long) Math.floor(points * 1000);
		if (milliPoints <= 0) {
			return;
		}
		Lease lease = lease(shop, System.nanoTime());
		lease.milliPoints.addAndGet(milliPoints);
		if (lease.forgotten) {
			// Forgotten meanwhile: its points were collected before these arrived; they move to the shop's new lease.
			long rescued = lease.milliPoints.getAndSet(0);
			if (rescued > 0) {
				giveBack(shop, rescued / 1000.0);
			}
		}
	}

	private Lease lease(ShopId shop, long now) {
		Lease lease = leases.computeIfAbsent(shop, s -> new Lease(now));
		if (now - lease.lastUsed > FORGOTTEN_AFTER.toNanos() / 2) {
			lease.lastUsed = now; // written rarely: requests of a busy shop would otherwise all write one field
		}
		return lease;
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
			if (!lease.statement.tryLock()) {
				return; // a statement is running: it gives the rest back itself
			}
			try {
				Seen seen = lease.seen;
				if (all || seen == null || now - seen.expiresAt() >= 0) {
					if (now - lease.lastUsed > FORGOTTEN_AFTER.toNanos()) {
						lease.forgotten = true;
						leases.remove(shop, lease);
					}
					long points = lease.milliPoints.getAndSet(0);
					if (points > 0) {
						returned.put(shop, points / 1000.0);
					}
				}
			}
			finally {
				lease.statement.unlock();
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

	/** What the last statement saw of the bucket, and until when its lease may be spent. */
	private record Seen(ApiThrottle.Bucket bucket, double available, long at, long expiresAt) {
	}

	/**
	 * This instance's lease of one shop's bucket. Spending it is lock-free (a busy shop's requests would otherwise
	 * queue for a lock twice per request); statements take turns.
	 */
	private static final class Lease {

		final ReentrantLock statement = new ReentrantLock();
		/** Points leased or given back, not yet spent nor returned to the bucket, in thousandths. */
		final AtomicLong milliPoints = new AtomicLong();
		/** {@code null} before the first statement. */
		volatile Seen seen;
		volatile long lastUsed;
		/** Removed from the map: points that still arrive must move to the shop's new lease. */
		volatile boolean forgotten;

		Lease(long now) {
			this.lastUsed = now;
		}

		/** Spends {@code cost} points of the lease if it is valid and holds them; {@code null} otherwise. */
		Admission take(long cost, long now) {
			Seen seen = this.seen;
			if (seen == null || now - seen.expiresAt() >= 0) {
				return null;
			}
			long wanted = cost * 1000;
			for (long points = milliPoints.get(); points >= wanted; points = milliPoints.get()) {
				if (milliPoints.compareAndSet(points, points - wanted)) {
					return new Admission(true, available(now), seen.bucket());
				}
			}
			return null;
		}

		/** What the bucket holds as this instance sees it: refilled since its last statement, plus the lease. */
		double available(long now) {
			Seen seen = this.seen;
			double refilled = seen.available() + seen.bucket().restoreRate() * ((now - seen.at()) / 1e9);
			return Math.min(seen.bucket().size(), refilled + milliPoints.get() / 1000.0);
		}
	}
}
