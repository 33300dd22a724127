package dev.shelf.billing.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import dev.shelf.billing.Billing;
import dev.shelf.billing.BillingFixtures;
import dev.shelf.billing.BillingFixtures.TestShop;
import dev.shelf.billing.BillingModuleTest;
import dev.shelf.billing.BillingUserError;
import dev.shelf.billing.SubscriptionChange;
import dev.shelf.billing.SubscriptionCreation;
import dev.shelf.billing.SubscriptionStatus;
import dev.shelf.catalog.Shops;
import dev.shelf.testing.shopify.FakeShopify;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static dev.shelf.billing.BillingFixtures.SESSION_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Subscriptions at Shopify, their activation by Shopify's updates, and the offline access tokens behind them. */
@BillingModuleTest
class SubscriptionAndTokenTests {

	@Autowired
	Billing billing;

	@Autowired
	Shops shops;

	@Autowired
	AccessTokens tokens;

	@Autowired
	ShopifyAdminClient shopify;

	@Autowired
	JdbcClient jdbc;

	BillingFixtures fixtures;

	@BeforeEach
	void fixtures() {
		fixtures = new BillingFixtures(billing, shops);
	}

	@Test
	void subscriptionCreateExchangesTheSessionTokenOnceAndAnswersShopifysConfirmationUrl() {
		TestShop shop = fixtures.shopWithoutSubscription("subscribe");

		SubscriptionCreation first = billing.createSubscription(shop.id(), "test", SESSION_TOKEN);
		SubscriptionCreation second = billing.createSubscription(shop.id(), "test", null);

		assertThat(first.userErrors()).isEmpty();
		assertThat(first.confirmationUrl()).startsWith("https://" + shop.domain() + "/admin/charges/");
		assertThat(first.subscription().status()).isEqualTo(SubscriptionStatus.PENDING);
		assertThat(first.subscription().cappedAmount()).isEqualByComparingTo("20.00");
		assertThat(second.userErrors()).as("the stored token is used").isEmpty();
		assertThat(shop.atShopify().tokenExchanges()).isOne();
		FakeShopify.Subscription atShopify = shop.atShopify().subscriptions().get(0);
		assertThat(atShopify.name()).isEqualTo("Test plan");
		assertThat(atShopify.cappedAmount()).isEqualByComparingTo("20.00");
		assertThat(atShopify.returnUrl()).contains(shop.domain());
		assertThat(billing.currentSubscription(shop.id())).as("pending until Shopify says active").isEmpty();
	}

	@Test
	void theAccessTokenIsEncryptedAtRestAndBoundToItsShop() {
		TestShop shop = fixtures.subscribedShop("encrypted", "test");
		TestShop other = fixtures.subscribedShop("encrypted-other", "test");
		String token = shop.atShopify().accessToken();

		byte[] stored = jdbc.sql("SELECT encrypted_token FROM billing.access_tokens WHERE shop_id = :shop")
				.param("shop", shop.id().value()).query(byte[].class).single();

		assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(token).doesNotContain("shpat_");
		assertThat(tokens.find(shop.id())).contains(token);
		jdbc.sql("""
				UPDATE billing.access_tokens SET encrypted_token = (SELECT encrypted_token FROM billing.access_tokens
				                                                    WHERE shop_id = :from) WHERE shop_id = :to""")
				.param("from", shop.id().value()).param("to", other.id().value()).update();
		assertThatThrownBy(() -> tokens.find(other.id())).hasMessageContaining("belongs to another shop");
	}

	@Test
	void refusalsAreUserErrorsWithCodes() {
		TestShop shop = fixtures.shopWithoutSubscription("refusals");

		assertThat(billing.createSubscription(shop.id(), "no-such-plan", SESSION_TOKEN).userErrors()).singleElement()
				.satisfies(e -> {
					assertThat(e.code()).isEqualTo(BillingUserError.Code.PLAN_NOT_FOUND);
					assertThat(e.field()).containsExactly("planHandle");
				});
		assertThat(billing.createSubscription(shop.id(), "test", null).userErrors()).extracting(BillingUserError::code)
				.containsExactly(BillingUserError.Code.ACCESS_TOKEN_MISSING);
		shop.atShopify().failNext(FakeShopify.Fault.USER_ERRORS);
		assertThat(billing.createSubscription(shop.id(), "test", SESSION_TOKEN).userErrors()).singleElement()
				.satisfies(e -> {
					assertThat(e.code()).isEqualTo(BillingUserError.Code.SHOPIFY_REJECTED);
					assertThat(e.message()).contains("Return url is invalid");
				});
		shop.atShopify().failNext(FakeShopify.Fault.THROTTLED);
		assertThat(billing.createSubscription(shop.id(), "test", null).userErrors()).extracting(BillingUserError::code)
				.containsExactly(BillingUserError.Code.SHOPIFY_UNAVAILABLE);
	}

	@Test
	void activatingANewSubscriptionReplacesTheActiveOneAndStaleUpdatesAreIgnored() {
		TestShop shop = fixtures.subscribedShop("replace", "test");
		SubscriptionCreation upgrade = billing.createSubscription(shop.id(), "odd", null);
		Instant now = Instant.now();

		String applied = billing.applySubscriptionChange(shop.id(), new SubscriptionChange(
				upgrade.subscription().shopifySubscriptionId(), SubscriptionStatus.ACTIVE, now.plusSeconds(1)));
		String stale = billing.applySubscriptionChange(shop.id(), new SubscriptionChange(
				upgrade.subscription().shopifySubscriptionId(), SubscriptionStatus.PENDING, now));
		String unknown = billing.applySubscriptionChange(shop.id(), new SubscriptionChange(
				"gid://shopify/AppSubscription/1", SubscriptionStatus.ACTIVE, now));

		assertThat(List.of(applied, stale, unknown)).containsExactly("ACTIVE", "IGNORED_STALE",
				"IGNORED_UNKNOWN_SUBSCRIPTION");
		assertThat(billing.currentSubscription(shop.id()).orElseThrow().planHandle()).isEqualTo("odd");
		assertThat(billing.findSubscription(shop.id(), shop.subscription().id()).orElseThrow().status())
				.isEqualTo(SubscriptionStatus.CANCELLED);
	}

	/** Shopify answers a resend with a known idempotency key with the first record; it never charges twice. */
	@Test
	void aResendWithTheSameIdempotencyKeyCreatesNoSecondRecord() {
		TestShop shop = fixtures.subscribedShop("resend", "test");
		String token = tokens.find(shop.id()).orElseThrow();
		String lineItem = shop.atShopify().subscriptions().get(0).usageLineItemId();

		ShopifyOutcome<String> first = shopify.createUsageRecord(shop.domain(), token, lineItem,
				new java.math.BigDecimal("1.00"), "USD", "order 1", "shelf-order-1");
		ShopifyOutcome<String> again = shopify.createUsageRecord(shop.domain(), token, lineItem,
				new java.math.BigDecimal("1.00"), "USD", "order 1", "shelf-order-1");

		assertThat(first).isInstanceOf(ShopifyOutcome.Ok.class).isEqualTo(again);
		assertThat(shop.atShopify().usageRecords()).hasSize(1);
		assertThat(shopify.createUsageRecord(shop.domain(), "shpat_wrong", lineItem, java.math.BigDecimal.ONE, "USD",
				"x", "shelf-order-2")).isInstanceOfSatisfying(ShopifyOutcome.Rejected.class,
						r -> assertThat(r.reason()).startsWith("HTTP 401"));
	}
}
