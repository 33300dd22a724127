package dev.shelf.billing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * A billing module test: billing's internals, catalog and migration on the JVM's real PostgreSQL, Shopify played by
 * the JVM's {@code FakeShopify}; one Spring context shared by every class that carries this annotation. Tests
 * isolate their data with a fresh shop each. Plans: {@code test} (1.00 USD per order, capped at 20.00 per period)
 * {@code odd} (a fee of 0.125, which rounds half-even to 0.12) and {@code bench} (0.01 per order, capped at 1.00:
 * room for exactly 100 charges).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(properties = {
		"shelf.billing.encryption-key=" + BillingModuleTest.ENCRYPTION_KEY,
		"shelf.billing.plans.test.name=Test plan", "shelf.billing.plans.test.recurring-price=10.00",
		"shelf.billing.plans.test.usage-fee=1.00", "shelf.billing.plans.test.capped-amount=20.00",
		"shelf.billing.plans.test.currency=USD",
		"shelf.billing.plans.odd.recurring-price=0", "shelf.billing.plans.odd.usage-fee=0.125",
		"shelf.billing.plans.odd.capped-amount=100", "shelf.billing.plans.odd.currency=USD",
		"shelf.billing.plans.bench.recurring-price=0", "shelf.billing.plans.bench.usage-fee=0.01",
		"shelf.billing.plans.bench.capped-amount=1.00", "shelf.billing.plans.bench.currency=USD",
		// Timeouts and retries within a test's patience; the scheduled reconciler out of the way (tests call it).
		"shelf.billing.shopify.connect-timeout=1s", "shelf.billing.shopify.read-timeout=2s",
		"shelf.billing.submit-lease=5s", "shelf.billing.reconcile-delay=0s", "shelf.billing.reconcile-interval=1h",
		"shelf.billing.retry-base-delay=50ms", "shelf.billing.poll-interval=100ms" })
public @interface BillingModuleTest {

	/** 32 bytes, base64: a test key, never a real one. */
	String ENCRYPTION_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
}
