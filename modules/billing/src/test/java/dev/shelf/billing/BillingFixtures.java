package dev.shelf.billing;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import dev.shelf.catalog.ShopId;
import dev.shelf.catalog.Shops;
import dev.shelf.testing.shopify.FakeShopify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Arranges billing tests through billing's public API, the way production gets there: a shop registered, a
 * subscription created at the fake Shopify (token exchange included) and activated by Shopify's update.
 */
public final class BillingFixtures {

	public static final Duration PATIENCE = Duration.ofSeconds(30);
	/** Not a real JWT; the fake Shopify checks only its shape. */
	public static final ShopifySessionToken SESSION_TOKEN = new ShopifySessionToken("eyJhbGciOiJIUzI1NiJ9.e30.c2ln");

	private static final AtomicLong shopCounter = new AtomicLong();
	private static final AtomicLong orderIds = new AtomicLong(9_007_199_254_740_993L); // beyond 2^53: no double

	private final Billing billing;
	private final Shops shops;

	public BillingFixtures(Billing billing, Shops shops) {
		this.billing = billing;
		this.shops = shops;
	}

	public record TestShop(ShopId id, String domain, AppSubscription subscription) {

		public FakeShopify.ShopState atShopify() {
			return FakeShopify.instance().shop(domain);
		}
	}

	public static String uniqueDomain(String purpose) {
		return purpose + "-" + System.nanoTime() % 1_000_000_000L + "-" + shopCounter.incrementAndGet()
				+ ".myshopify.com";
	}

	public TestShop shopWithoutSubscription(String purpose) {
		String domain = uniqueDomain(purpose);
		return new TestShop(shops.registerOnFirstSight(domain).id(), domain, null);
	}

	/** A shop subscribed to {@code plan}, its subscription active since now. */
	public TestShop subscribedShop(String purpose, String plan) {
		TestShop shop = shopWithoutSubscription(purpose);
		SubscriptionCreation created = billing.createSubscription(shop.id(), plan, SESSION_TOKEN);
		assertThat(created.userErrors()).isEmpty();
		assertThat(billing.applySubscriptionChange(shop.id(), new SubscriptionChange(
				created.subscription().shopifySubscriptionId(), SubscriptionStatus.ACTIVE, Instant.now())))
				.isEqualTo("ACTIVE");
		return new TestShop(shop.id(), shop.domain(), billing.currentSubscription(shop.id()).orElseThrow());
	}

	public static PlacedOrder newOrder() {
		return order(orderIds.incrementAndGet());
	}

	public static PlacedOrder order(long shopifyOrderId) {
		return new PlacedOrder(shopifyOrderId, new BigDecimal("49.90"), "USD", Instant.now(), 77L);
	}

	public UsageCharge awaitState(TestShop shop, long chargeId, ChargeState state) {
		await().atMost(PATIENCE).until(() -> billing.findCharge(shop.id(), chargeId).orElseThrow().state() == state);
		return billing.findCharge(shop.id(), chargeId).orElseThrow();
	}

}
