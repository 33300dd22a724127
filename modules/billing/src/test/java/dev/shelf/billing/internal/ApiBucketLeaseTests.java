package dev.shelf.billing.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.shelf.billing.ApiThrottle;
import dev.shelf.billing.ApiThrottle.Bucket;
import dev.shelf.billing.ApiThrottle.Limits;
import dev.shelf.billing.BillingFixtures;
import dev.shelf.billing.BillingModuleTest;
import dev.shelf.catalog.ShopId;
import dev.shelf.catalog.Shops;
import dev.shelf.testing.Race;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Leases of a shop's bucket ({@link ApiBuckets}): a busy shop's requests admitted without a statement, overcharges
 * spent again, expired leases given back, and instances sharing one bucket never admitting more than it holds.
 */
@BillingModuleTest
class ApiBucketLeaseTests {

	/** Refills one point a second: what the bucket holds is what the test did to it, give or take a few points. */
	static final Limits SLOW_BUCKET = Limits.of(new Bucket(1000, 1));

	@Autowired
	ApiThrottle throttle;

	@Autowired
	BucketStatements statements;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Shops shops;

	ShopId shop;

	@BeforeEach
	void setUp() {
		shop = shops.registerOnFirstSight(BillingFixtures.uniqueDomain("lease")).id();
	}

	@Test
	void aBusyShopsNextRequestsAreAdmittedFromTheLeaseWithoutAStatement() {
		ApiBuckets instance = newInstance();
		assertThat(instance.admit(shop, 10, SLOW_BUCKET).admitted()).isTrue();
		// 10 points for the request and a lease of a tenth of the bucket.
		assertThat(bucket().leased()).isEqualTo(100.0);
		assertThat(bucket().available()).isEqualTo(890.0);
		String statementAt = jdbc.sql("SELECT updated_at::text FROM billing.api_buckets WHERE shop_id = ?")
				.param(shop.value()).query(String.class).single();

		for (int i = 0; i < 10; i++) {
			ApiThrottle.Admission admission = instance.admit(shop, 10, SLOW_BUCKET);
			assertThat(admission.admitted()).isTrue();
			// 890 in the row and what is left of the lease
			assertThat(admission.available()).as("the bucket as this instance sees it").isBetween(980.0 - 10 * i, 985.0 - 10 * i);
		}
		assertThat(jdbc.sql("SELECT updated_at::text FROM billing.api_buckets WHERE shop_id = ?")
				.param(shop.value()).query(String.class).single()).as("no statement since the lease").isEqualTo(statementAt);

		instance.admit(shop, 10, SLOW_BUCKET);
		assertThat(bucket().available()).as("the next statement leased again").isBetween(780.0, 785.0);
	}

	@Test
	void pointsGivenBackAreSpentAgainBeforeTheLeaseExpires() {
		ApiBuckets instance = newInstance();
		instance.admit(shop, 100, SLOW_BUCKET); // leases 100 more
		instance.giveBack(shop, 60); // the request's actual cost was 40

		assertThat(instance.admit(shop, 150, SLOW_BUCKET).admitted()).isTrue();
		assertThat(bucket().available()).as("admitted from the lease's 160 points").isBetween(800.0, 805.0);
	}

	@Test
	void withoutLeasesEveryAdmissionIsAStatement() {
		ApiBuckets instance = newInstance();
		Limits noLease = new Limits(new Bucket(1000, 1), Map.of(), Duration.ZERO);
		for (int i = 1; i <= 3; i++) {
			instance.admit(shop, 10, noLease);
			assertThat(bucket().leased()).isZero();
			assertThat(bucket().available()).isBetween(1000.0 - 10 * i, 1000.0 - 10 * i + 5);
		}
	}

	@Test
	void anExpiredLeaseGoesBackToTheBucket() {
		Limits shortLease = new Limits(new Bucket(1000, 1), Map.of(), Duration.ofMillis(100));
		throttle.admit(shop, 10, shortLease);
		assertThat(bucket().available()).isBetween(890.0, 895.0);

		// The application's own instance gives it back on its schedule; nothing else touches this shop's bucket.
		await().atMost(BillingFixtures.PATIENCE).until(() -> bucket().available() >= 990.0);
		assertThat(bucket().available()).isLessThan(1000.0);
	}

	@Test
	void instancesSharingABucketNeverAdmitMoreThanItHoldsAndNoPointIsLost() throws Exception {
		List<ApiBuckets> instances = List.of(newInstance(), newInstance(), newInstance());
		AtomicInteger next = new AtomicInteger();
		long started = System.nanoTime();

		List<Boolean> admitted = Race.run(60,
				() -> instances.get(next.getAndIncrement() % instances.size()).admit(shop, 50, SLOW_BUCKET).admitted());
		instances.forEach(ApiBuckets::returnAllLeases);

		long admittedCount = admitted.stream().filter(a -> a).count();
		double refilledAtMost = (System.nanoTime() - started) / 1e9 + 1;
		assertThat(admittedCount).as("1,000 points at 50 each, and what refilled meanwhile")
				.isLessThanOrEqualTo(20 + (long) (refilledAtMost / 50));
		// Leases held elsewhere may refuse a request for a moment, never for more than each instance's tenth.
		assertThat(admittedCount).isGreaterThanOrEqualTo(20 - instances.size() * 2);
		double nowInBucket = jdbc.sql("""
				SELECT billing.refilled(available, updated_at, now(), size, restore_rate) FROM billing.api_buckets
				WHERE shop_id = ?""").param(shop.value()).query(Double.class).single();
		assertThat(nowInBucket).as("every point either spent on an admitted request or back in the bucket")
				.isBetween(1000.0 - 50 * admittedCount, 1000.0 - 50 * admittedCount + refilledAtMost);
	}

	@Test
	void concurrentAdmissionsAndGiveBacksOfOneShopOnOneInstanceLoseNoPoint() throws Exception {
		ApiBuckets instance = newInstance();
		long started = System.nanoTime();

		// 16 threads × 20 requests of 10 points, each overcharged by 4: 1,920 points asked of 1,000.
		List<Integer> admittedPerThread = Race.run(16, () -> {
			int admitted = 0;
			for (int i = 0; i < 20; i++) {
				if (instance.admit(shop, 10, SLOW_BUCKET).admitted()) {
					admitted++;
					instance.giveBack(shop, 4);
				}
			}
			return admitted;
		});
		instance.returnAllLeases();

		long admitted = admittedPerThread.stream().mapToInt(Integer::intValue).sum();
		assertThat(admitted).as("some were throttled").isLessThan(16 * 20);
		double refilledAtMost = (System.nanoTime() - started) / 1e9 + 1;
		double nowInBucket = jdbc.sql("""
				SELECT billing.refilled(available, updated_at, now(), size, restore_rate) FROM billing.api_buckets
				WHERE shop_id = ?""").param(shop.value()).query(Double.class).single();
		assertThat(nowInBucket).as("every point spent on an admitted request's actual cost, or back in the bucket")
				.isBetween(1000.0 - 6 * admitted, 1000.0 - 6 * admitted + refilledAtMost);
	}

	private ApiBuckets newInstance() {
		return new ApiBuckets(statements, new SimpleMeterRegistry());
	}

	/** The shop's bucket row as the statements left it. */
	private BucketRow bucket() {
		return jdbc.sql("SELECT leased, available FROM billing.api_buckets WHERE shop_id = ?").param(shop.value())
				.query(BucketRow.class).single();
	}

	private record BucketRow(double leased, double available) {
	}
}
