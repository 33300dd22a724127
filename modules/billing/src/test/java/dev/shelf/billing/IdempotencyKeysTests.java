package dev.shelf.billing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import dev.shelf.billing.IdempotencyDecision.Claim;
import dev.shelf.billing.IdempotencyDecision.Execute;
import dev.shelf.billing.IdempotencyDecision.InProgress;
import dev.shelf.billing.IdempotencyDecision.Mismatch;
import dev.shelf.billing.IdempotencyDecision.Replay;
import dev.shelf.catalog.ShopId;
import dev.shelf.testing.Race;
import dev.shelf.testing.TestClock;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The store of idempotency keys on real PostgreSQL: exactly one execution per (shop, key) however many requests
 * race, replay of what it stored, refusal of another request under the same key, recovery of a key whose executor
 * died, expiry after the TTL and the purge. Time is moved with a {@link TestClock}, never waited for.
 */
@SpringBootTest(properties = { "shelf.idempotency.lease=30s", "shelf.idempotency.purge-batch-size=3",
		"shelf.billing.encryption-key=" + BillingModuleTest.ENCRYPTION_KEY })
@Import(IdempotencyKeysTests.Time.class)
class IdempotencyKeysTests {

	private static final AtomicLong shops = new AtomicLong(System.nanoTime() % 1_000_000_000L * 1000);
	private static final RequestFingerprint CREATE_LAMP = RequestFingerprint.of("mutation { productCreate }", "", "{\"title\":\"Lamp\"}");
	private static final RequestFingerprint CREATE_CHAIR = RequestFingerprint.of("mutation { productCreate }", "", "{\"title\":\"Chair\"}");
	private static final StoredResponse CREATED = new StoredResponse(200, "application/json",
			"{\"data\":{\"productCreate\":{\"product\":{\"id\":\"gid://shelf/Product/1\"}}}}".getBytes(StandardCharsets.UTF_8));

	@TestConfiguration(proxyBeanMethods = false)
	static class Time {

		@Bean
		TestClock testClock() {
			return new TestClock();
		}
	}

	@Autowired
	IdempotencyKeys keys;

	@Autowired
	TestClock clock;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MeterRegistry metrics;

	@Autowired
	ApplicationContext context;

	/** A shop id of its own per test: the store knows shops by id only. */
	private final ShopId shop = new ShopId(shops.incrementAndGet());
	private final IdempotencyKey key = new IdempotencyKey(UUID.randomUUID().toString());

	@AfterEach
	void backToNow() {
		clock.reset();
	}

	@Test
	void theFirstRequestExecutesAndEveryRetryGetsItsStoredResponse() {
		Claim claim = executes(keys.begin(shop, key, CREATE_LAMP));
		keys.complete(claim, CREATED);

		IdempotencyDecision retry = keys.begin(shop, key, CREATE_LAMP);
		IdempotencyDecision later = keys.begin(shop, key, CREATE_LAMP);

		assertThat(retry).isEqualTo(new Replay(CREATED));
		assertThat(later).isEqualTo(new Replay(CREATED));
	}

	@Test
	void ofManyConcurrentFirstRequestsWithOneKeyExactlyOneExecutes() throws Exception {
		double executedBefore = outcomes("executed");

		List<IdempotencyDecision> decisions = Race.run(16, () -> keys.begin(shop, key, CREATE_LAMP));

		assertThat(decisions).filteredOn(Execute.class::isInstance).hasSize(1);
		assertThat(decisions).filteredOn(decision -> !(decision instanceof Execute))
				.allSatisfy(decision -> assertThat(decision).isInstanceOf(InProgress.class));
		assertThat(outcomes("executed") - executedBefore).isEqualTo(1);
	}

	@Test
	void aRetryWhileTheFirstExecutesIsToldToComeBackLater() {
		executes(keys.begin(shop, key, CREATE_LAMP));

		assertThat(keys.begin(shop, key, CREATE_LAMP)).isEqualTo(new InProgress(Duration.ofSeconds(1)));
	}

	@Test
	void theSameKeyWithAnotherRequestIsAMismatchWhileExecutingAndAfter() {
		Claim claim = executes(keys.begin(shop, key, CREATE_LAMP));
		assertThat(keys.begin(shop, key, CREATE_CHAIR)).isEqualTo(new Mismatch());

		keys.complete(claim, CREATED);

		assertThat(keys.begin(shop, key, CREATE_CHAIR)).isEqualTo(new Mismatch());
		assertThat(keys.begin(shop, key, CREATE_LAMP)).isEqualTo(new Replay(CREATED));
	}

	@Test
	void keysAreScopedByShop() {
		keys.complete(executes(keys.begin(shop, key, CREATE_LAMP)), CREATED);
		ShopId otherShop = new ShopId(shops.incrementAndGet());

		assertThat(keys.begin(otherShop, key, CREATE_CHAIR)).isInstanceOf(Execute.class);
	}

	@Test
	void aReleasedKeyExecutesAgain() {
		keys.release(executes(keys.begin(shop, key, CREATE_LAMP)));

		assertThat(keys.begin(shop, key, CREATE_CHAIR)).as("nothing of the failed request is kept, not even its fingerprint")
				.isInstanceOf(Execute.class);
	}

	@Test
	void aKeyWhoseExecutorDiedIsTakenOverAfterTheLeaseAndTheLateResponseIsNotStored() {
		Claim crashed = executes(keys.begin(shop, key, CREATE_LAMP));
		clock.advance(Duration.ofSeconds(29));
		assertThat(keys.begin(shop, key, CREATE_LAMP)).as("within the lease").isInstanceOf(InProgress.class);
		double takenOverBefore = counter("shelf.idempotency.taken.over");
		double lostBefore = counter("shelf.idempotency.lease.lost");

		clock.advance(Duration.ofSeconds(2));
		Claim retry = executes(keys.begin(shop, key, CREATE_LAMP));
		keys.complete(retry, CREATED);
		keys.complete(crashed, new StoredResponse(200, "application/json", "{\"late\":true}".getBytes(StandardCharsets.UTF_8)));
		keys.release(crashed);

		assertThat(keys.begin(shop, key, CREATE_LAMP)).isEqualTo(new Replay(CREATED));
		assertThat(counter("shelf.idempotency.taken.over") - takenOverBefore).isEqualTo(1);
		assertThat(counter("shelf.idempotency.lease.lost") - lostBefore).isEqualTo(1);
	}

	@Test
	void aKeyExpiresAfter24HoursAndThenExecutesAgainEvenForAnotherRequest() {
		keys.complete(executes(keys.begin(shop, key, CREATE_LAMP)), CREATED);

		clock.advance(Duration.ofHours(24).minusSeconds(1));
		assertThat(keys.begin(shop, key, CREATE_LAMP)).isEqualTo(new Replay(CREATED));

		clock.advance(Duration.ofSeconds(1));
		assertThat(keys.begin(shop, key, CREATE_CHAIR)).isInstanceOf(Execute.class);
	}

	@Test
	void thePurgeDeletesExpiredKeysInBatchesAndKeepsLiveOnes() {
		for (int i = 0; i < 7; i++) {
			keys.complete(executes(keys.begin(shop, new IdempotencyKey("old-" + i), CREATE_LAMP)), CREATED);
		}
		executes(keys.begin(shop, new IdempotencyKey("old-in-progress"), CREATE_LAMP));
		clock.advance(Duration.ofHours(23));
		keys.complete(executes(keys.begin(shop, new IdempotencyKey("recent"), CREATE_LAMP)), CREATED);
		clock.advance(Duration.ofHours(2));
		double purgedBefore = counter("shelf.idempotency.purged");

		context.getBean("idempotencyKeyPurge", Runnable.class).run();

		assertThat(storedKeys()).containsExactly("recent");
		// Other tests' keys of the shared database expired too, 3 per batch: at least 3 batches ran.
		assertThat(counter("shelf.idempotency.purged") - purgedBefore).isGreaterThanOrEqualTo(8);
	}

	@Test
	void aKeyIsPrintableAsciiOfAtMost255Characters() {
		assertThat(new IdempotencyKey("k".repeat(255)).value()).hasSize(255);
		assertThat(IdempotencyKey.fromHeader(" \"8e03978e-40d5-43e8-bc93-6894a57f9324\" ").value())
				.as("the IETF draft's quoted form").isEqualTo("8e03978e-40d5-43e8-bc93-6894a57f9324");
		for (String invalid : new String[] { "", " ", "k".repeat(256), "clé", "tab\tkey", "\"\"" }) {
			assertThatIllegalArgumentException().as(invalid).isThrownBy(() -> IdempotencyKey.fromHeader(invalid));
		}
	}

	@Test
	void aLongKeyIsStoredThroughItsHash() {
		IdempotencyKey longKey = new IdempotencyKey("k".repeat(255));
		keys.complete(executes(keys.begin(shop, longKey, CREATE_LAMP)), CREATED);

		assertThat(keys.begin(shop, longKey, CREATE_LAMP)).isEqualTo(new Replay(CREATED));
		assertThat(jdbc.sql("SELECT octet_length(key_hash) FROM billing.idempotency_keys WHERE shop_id = ?")
				.param(shop.value()).query(Integer.class).single()).isEqualTo(32);
	}

	@Test
	void fingerprintPartsCannotRunIntoEachOther() {
		assertThat(RequestFingerprint.of("ab", "c")).isNotEqualTo(RequestFingerprint.of("a", "bc"));
		assertThat(RequestFingerprint.of("ab", "c")).isEqualTo(RequestFingerprint.of("ab", "c"));
	}

	private static Claim executes(IdempotencyDecision decision) {
		assertThat(decision).isInstanceOf(Execute.class);
		return ((Execute) decision).claim();
	}

	private List<String> storedKeys() {
		return jdbc.sql("SELECT key FROM billing.idempotency_keys WHERE shop_id = ? ORDER BY key").param(shop.value())
				.query(String.class).list();
	}

	private double outcomes(String outcome) {
		var counter = metrics.find("shelf.idempotency.requests").tag("outcome", outcome).counter();
		return counter == null ? 0 : counter.count();
	}

	private double counter(String name) {
		var counter = metrics.find(name).counter();
		return counter == null ? 0 : counter.count();
	}
}
