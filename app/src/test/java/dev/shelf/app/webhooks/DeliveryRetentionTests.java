package dev.shelf.app.webhooks;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.shelf.catalog.Shops;
import dev.shelf.support.ShelfApplicationTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.shelf.support.SessionTokens.uniqueShop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The inbox never grows without bound and keeps no personal data longer than needed: with the defaults, a processed
 * delivery's raw body goes after 7 days and its row after 30; a dead delivery stays until an operator deals with it.
 */
@ShelfApplicationTest
class DeliveryRetentionTests {

	/** More than the default batch size (1000), so every purge takes several batches. */
	private static final int MANY = 1_200;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Shops shops;

	@Autowired
	MeterRegistry metrics;

	@Autowired
	ApplicationContext context;

	long shop;

	@BeforeEach
	void setUp() {
		shop = shops.registerOnFirstSight(uniqueShop("retention")).id().value();
	}

	@Test
	void bodiesGoAfterSevenDaysRowsAfterThirtyDeadDeliveriesStayAndASecondPurgeChangesNothing() {
		List<Long> eightDaysOld = seed("PROCESSED", Duration.ofDays(8), MANY);
		List<Long> oneDayOld = seed("PROCESSED", Duration.ofDays(1), 1);
		List<Long> deadFortyDaysOld = seed("DEAD", Duration.ofDays(40), 1);
		List<Long> fortyDaysOld = seed("PROCESSED", Duration.ofDays(40), MANY);
		double bodiesBefore = counter("shelf.webhooks.purged.bodies");
		double rowsBefore = counter("shelf.webhooks.purged.rows");

		purgeUntilItRan(Collections.min(fortyDaysOld));

		assertThat(ids()).as("the 40-day-old processed rows are deleted, every other row kept")
				.containsExactlyInAnyOrderElementsOf(
						Stream.of(eightDaysOld, oneDayOld, deadFortyDaysOld).flatMap(List::stream).toList());
		assertThat(bodyStates(eightDaysOld)).as("8 days old: body purged, and when").containsOnly("purged");
		assertThat(bodyStates(oneDayOld)).as("1 day old: body kept").containsOnly("kept");
		assertThat(bodyStates(deadFortyDaysOld)).as("dead: never purged automatically").containsOnly("kept");
		// Other shops' deliveries may have been due as well.
		assertThat(counter("shelf.webhooks.purged.bodies") - bodiesBefore).isGreaterThanOrEqualTo(MANY);
		assertThat(counter("shelf.webhooks.purged.rows") - rowsBefore).isGreaterThanOrEqualTo(MANY);

		List<Map<String, Object>> afterFirstPurge = rows();
		runOnce();

		assertThat(rows()).as("idempotent").isEqualTo(afterFirstPurge);
	}

	/**
	 * The shared context's own schedule may be purging at this moment; then this call finds the lock taken, skips, and
	 * is repeated. A run that did purge must have purged everything: it is recognized by the first row in purge order
	 * alone, and the test asserts all the others.
	 */
	private void purgeUntilItRan(long firstRowDue) {
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			runOnce();
			return jdbc.sql("SELECT count(*) FROM webhooks.deliveries WHERE id = ?").param(firstRowDue)
					.query(Long.class).single() == 0;
		});
	}

	private void runOnce() {
		context.getBean("deliveryRetention", Runnable.class).run();
	}

	/** Received an hour before {@code age}; processed {@code age} ago unless dead. */
	private List<Long> seed(String status, Duration age, int count) {
		return jdbc.sql("""
				INSERT INTO webhooks.deliveries (shop_id, webhook_id, topic, shop_domain, api_version, body, received_at,
				                                 status, attempts, next_attempt_at, outcome, processed_at, last_error)
				SELECT :shop, gen_random_uuid()::text, 'products/create', 'retention.myshopify.com', '2026-10',
				       convert_to('{"id": ' || n || ', "email": "customer@example.com"}', 'UTF8'),
				       now() - make_interval(secs => :ageSeconds + 3600), :status, 1,
				       now() - make_interval(secs => :ageSeconds + 3600),
				       CASE WHEN :status = 'PROCESSED' THEN 'CREATED' END,
				       CASE WHEN :status = 'PROCESSED' THEN now() - make_interval(secs => :ageSeconds) END,
				       CASE WHEN :status = 'DEAD' THEN 'IllegalArgumentException: no updated_at' END
				FROM generate_series(1, :count) AS n
				RETURNING id""")
				.param("shop", shop).param("status", status).param("ageSeconds", age.toSeconds()).param("count", count)
				.query(Long.class).list();
	}

	private List<Long> ids() {
		return jdbc.sql("SELECT id FROM webhooks.deliveries WHERE shop_id = ?").param(shop).query(Long.class).list();
	}

	private List<String> bodyStates(List<Long> ids) {
		return jdbc.sql("""
				SELECT CASE WHEN body IS NULL AND body_purged_at > now() - interval '1 minute' THEN 'purged'
				            WHEN body IS NOT NULL AND body_purged_at IS NULL THEN 'kept'
				            ELSE 'inconsistent' END
				FROM webhooks.deliveries WHERE id = ANY(?)""")
				.param(ids.toArray(Long[]::new)).query(String.class).list();
	}

	private List<Map<String, Object>> rows() {
		return jdbc.sql("""
				SELECT id, status, body IS NULL AS purged, body_purged_at FROM webhooks.deliveries
				WHERE shop_id = ? ORDER BY id""").param(shop).query().listOfRows();
	}

	private double counter(String name) {
		var counter = metrics.find(name).counter();
		return counter == null ? 0 : counter.count();
	}
}
