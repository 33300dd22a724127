package dev.shelf.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The whole application on a random port and the test JVM's real PostgreSQL (given to every Spring test by
 * {@code dev.shelf.testing}), with known Shopify credentials so
 * tests can sign session tokens ({@link SessionTokens}). Every class using it shares one Spring context; tests
 * keep out of each other's way by using their own shops. Time is the system's unless a test moves the
 * {@link dev.shelf.testing.TestClock} forward ({@link TestTime}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"shelf.shopify.api-key=" + SessionTokens.API_KEY,
		"shelf.shopify.api-secret=" + SessionTokens.SECRET,
		"shelf.shopify.api-secret-old=" + SessionTokens.OLD_SECRET,
		"shelf.operator.password=" + ShelfApplicationTest.OPERATOR_PASSWORD,
		// Retries within a test's patience: 3 attempts, 100 ms then 200 ms apart.
		"shelf.webhooks.max-attempts=3", "shelf.webhooks.retry-base-delay=100ms", "shelf.webhooks.poll-interval=50ms",
		"shelf.webhooks.erasure-interval=100ms",
		// Billing against the fake Shopify (billing's test jar points shelf.billing.shopify.base-url at it); the
		// scheduled reconciler out of the way, tests call it.
		"shelf.billing.encryption-key=" + ShelfApplicationTest.ENCRYPTION_KEY,
		"shelf.billing.shopify.connect-timeout=1s", "shelf.billing.shopify.read-timeout=2s",
		"shelf.billing.submit-lease=5s", "shelf.billing.reconcile-delay=0s",
		"shelf.billing.reconcile-interval=1h", "shelf.billing.retry-base-delay=50ms", "shelf.billing.poll-interval=100ms",
		// Background migrations run when a test runs them, never behind another test's back.
		"shelf.migration.runner-enabled=false" })
@Import({ SchemaInspection.class, TestTime.class })
public @interface ShelfApplicationTest {

	String OPERATOR_PASSWORD = "operator-test-password";

	/** 32 bytes, base64: a test key, never a real one. */
	String ENCRYPTION_KEY = "ZmFrZS10ZXN0LWtleS0wMTIzNDU2Nzg5YWJjZGVmMDE=";
}
