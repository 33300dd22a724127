package dev.shelf.billing;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.shelf.billing.BillingFixtures.TestShop;
import dev.shelf.catalog.Shops;
import dev.shelf.testing.Race;
import dev.shelf.testing.shopify.FakeShopify;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cap benchmark of BENCHMARKS.md (run by {@code bench/billing-cap-race.sh} with more orders): {@code orders}
 * orders of one shop charged by {@code threads} threads released together, against the {@code bench} plan (room for
 * exactly 100 charges). Checks that the cap held in the database and at Shopify, and reports the throughput of
 * {@code chargeForOrder} and the time until Shopify holds every record. In the normal build it runs small.
 */
@BillingModuleTest
class CapRaceBenchmarkTests {

	private static final int ORDERS = Integer.getInteger("shelf.bench.orders", 300);
	private static final int THREADS = Integer.getInteger("shelf.bench.threads", 50);
	private static final String OUTPUT = System.getProperty("shelf.bench.output");

	@Autowired
	Billing billing;

	@Autowired
	Shops shops;

	@Autowired
	JdbcClient jdbc;

	@Test
	void concurrentOrderChargesOfOneShopNeverExceedTheCap() throws Exception {
		TestShop shop = new BillingFixtures(billing, shops).subscribedShop("bench", "bench");
		AtomicLong nextOrder = new AtomicLong(1);
		AtomicInteger accepted = new AtomicInteger();
		AtomicInteger capExceeded = new AtomicInteger();

		long started = System.nanoTime();
		List<Long> charged = Race.run(THREADS, () -> {
			long mine = 0;
			for (long order = nextOrder.getAndIncrement(); order <= ORDERS; order = nextOrder.getAndIncrement()) {
				ChargeResult result = billing.chargeForOrder(shop.id(), BillingFixtures.order(order));
				(result.charge().state() == ChargeState.FAILED ? capExceeded : accepted).incrementAndGet();
				mine++;
			}
			return mine;
		});
		Duration charging = Duration.ofNanos(System.nanoTime() - started);
		await().atMost(Duration.ofMinutes(2)).until(() -> unsettled(shop) == 0);
		Duration settled = Duration.ofNanos(System.nanoTime() - started);

		BigDecimal reserved = billing.currentPeriod(shop.subscription()).usedAmount();
		List<FakeShopify.UsageRecord> records = shop.atShopify().usageRecords();
		BigDecimal recorded = records.stream().map(FakeShopify.UsageRecord::amount).reduce(BigDecimal.ZERO,
				BigDecimal::add);
		assertThat(charged.stream().mapToLong(Long::longValue).sum()).isEqualTo(ORDERS);
		assertThat(accepted.get()).isEqualTo(Math.min(ORDERS, 100));
		assertThat(capExceeded.get()).isEqualTo(ORDERS - accepted.get());
		assertThat(reserved).isEqualByComparingTo(shop.subscription().usageFee().multiply(
				BigDecimal.valueOf(accepted.get())));
		assertThat(reserved).isLessThanOrEqualTo(shop.subscription().cappedAmount());
		assertThat(records).hasSize(accepted.get());
		assertThat(recorded).isLessThanOrEqualTo(shop.subscription().cappedAmount());

		String summary = String.format(Locale.ROOT, """
				| what | figure |
				|---|---|
				| orders, threads | %d orders, %d threads released by one barrier, one shop, cap %s USD, fee %s USD |
				| charges accepted / refused CAP_EXCEEDED | %d / %d |
				| reserved in the period / recorded at (fake) Shopify | %s / %s USD in %d records |
				| cap held | %s |
				| chargeForOrder, all %d | %d ms, %.0f charges/s |
				| until every accepted charge was SUCCEEDED at Shopify | %d ms |
				""", ORDERS, THREADS, shop.subscription().cappedAmount().stripTrailingZeros().toPlainString(),
				shop.subscription().usageFee().stripTrailingZeros().toPlainString(), accepted.get(), capExceeded.get(),
				reserved.stripTrailingZeros().toPlainString(), recorded.stripTrailingZeros().toPlainString(),
				records.size(), reserved.compareTo(shop.subscription().cappedAmount()) <= 0 ? "yes" : "NO", ORDERS,
				charging.toMillis(), ORDERS / (charging.toNanos() / 1e9), settled.toMillis());
		org.slf4j.LoggerFactory.getLogger(CapRaceBenchmarkTests.class).info("Cap race:\n{}", summary);
		if (OUTPUT != null) {
			write(Path.of(OUTPUT), summary);
		}
	}

	private long unsettled(TestShop shop) {
		return jdbc.sql("""
				SELECT count(*) FROM billing.usage_charges
				WHERE shop_id = :shop AND state IN ('PENDING', 'SUBMITTED', 'UNKNOWN')""")
				.param("shop", shop.id().value()).query(Long.class).single();
	}

	private static void write(Path file, String text) throws IOException {
		Files.createDirectories(file.toAbsolutePath().getParent());
		Files.writeString(file, text);
	}
}
