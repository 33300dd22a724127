package dev.shelf.app.billing;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.shelf.support.GraphQlHttp;
import dev.shelf.support.SessionTokens;
import dev.shelf.support.ShelfApplicationTest;
import dev.shelf.support.ShopifyWebhooks;
import dev.shelf.testing.Race;
import dev.shelf.testing.shopify.FakeShopify;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Billing through the front doors, as Shopify and the merchant's browser use them: a subscription created over
 * GraphQL (token exchange at the fake Shopify), activated by Shopify's {@code app_subscriptions/update} webhook, then
 * an order delivered many times over — concurrently, with the same webhook id and with new ones — charged once, with
 * exactly one usage record at Shopify, and visible with its transitions through GraphQL.
 */
@ShelfApplicationTest
class BillingEndToEndTests {

	private static final Duration PATIENCE = Duration.ofSeconds(30);

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Test
	void duplicateOrdersCreateDeliveriesProduceOneChargeAndOneUsageRecordAtShopify() throws Exception {
		String shop = SessionTokens.uniqueShop("billing-e2e");
		String token = SessionTokens.forShop(shop).token();
		GraphQlHttp graphQl = new GraphQlHttp(port);
		FakeShopify.ShopState atShopify = FakeShopify.instance().shop(shop);

		JsonNode created = graphQl.query(token, """
				mutation { subscriptionCreate(planHandle: "starter") {
				  confirmationUrl appSubscription { id status } userErrors { field message code } } }""").data()
				.path("subscriptionCreate");
		assertThat(created.path("userErrors").isEmpty()).as(created.toString()).isTrue();
		assertThat(created.path("confirmationUrl").asString()).startsWith("https://" + shop + "/admin/charges/");
		assertThat(created.path("appSubscription").path("status").asString()).isEqualTo("PENDING");
		assertThat(atShopify.tokenExchanges()).isOne();
		assertThat(atShopify.exchangedWithClientId()).isEqualTo(SessionTokens.API_KEY);

		String subscriptionGid = atShopify.subscriptions().get(0).id();
		assertThat(ShopifyWebhooks.delivery(port, "app_subscriptions/update", shop).body("""
				{"app_subscription": {"admin_graphql_api_id": "%s", "name": "Shelf Starter", "status": "ACTIVE",
				 "admin_graphql_api_shop_id": "gid://shopify/Shop/548380009", "created_at": "2026-11-21T10:00:00-05:00",
				 "updated_at": "2099-01-01T00:00:00Z", "currency": "USD", "capped_amount": "50.0"}}"""
				.formatted(subscriptionGid)).send().statusCode()).isEqualTo(200);
		await().atMost(PATIENCE).until(() -> "ACTIVE".equals(graphQl.query(token,
				"{ currentSubscription { status } }").data().path("currentSubscription").path("status").asString(null)));

		String order = """
				{"id": 9007199254740993, "total_price": "12.50", "currency": "USD",
				 "created_at": "2026-11-21T10:00:00+01:00", "customer": {"id": 115310627314723954}}""";
		String sameWebhookId = UUID.randomUUID().toString();
		List<Integer> statuses = Race.run(8, () -> {
			ShopifyWebhooks delivery = ShopifyWebhooks.delivery(port, "orders/create", shop).body(order);
			if (Thread.currentThread().getId() % 2 == 0) {
				delivery.webhookId(sameWebhookId); // Shopify's retry of one delivery
			}
			HttpResponse<String> response = delivery.send(); // otherwise: the order reported again, a new delivery
			return response.statusCode();
		});
		assertThat(statuses).containsOnly(200);

		await().atMost(PATIENCE).until(() -> jdbc.sql("""
				SELECT count(*) FROM webhooks.deliveries d JOIN catalog.shops s ON s.id = d.shop_id
				WHERE s.shopify_domain = ? AND d.topic = 'orders/create' AND d.status <> 'PENDING'""").param(shop)
				.query(Long.class).single() == deliveries(shop));
		await().atMost(PATIENCE).until(() -> "SUCCEEDED".equals(charges(graphQl, token).path("nodes").path(0)
				.path("status").asString(null)));

		JsonNode charges = charges(graphQl, token);
		assertThat(charges.path("nodes")).hasSize(1);
		JsonNode charge = charges.path("nodes").path(0);
		assertThat(charge.path("orderId").asString()).isEqualTo("9007199254740993");
		assertThat(charge.path("amount").path("amount").asString()).isEqualTo("0.1000");
		assertThat(charge.path("amount").path("currencyCode").asString()).isEqualTo("USD");
		assertThat(charge.path("idempotencyKey").asString()).isEqualTo("shelf-order-9007199254740993");
		List<String> transitions = new ArrayList<>();
		charge.path("transitions").forEach(t -> transitions.add(t.path("to").asString() + "/" + t.path("actor").asString()));
		assertThat(transitions).containsExactly("PENDING/webhook", "SUBMITTED/worker", "SUCCEEDED/worker");
		assertThat(atShopify.usageRecords()).singleElement().satisfies(record -> {
			assertThat(record.id()).isEqualTo(charge.path("shopifyUsageRecordId").asString());
			assertThat(record.idempotencyKey()).isEqualTo("shelf-order-9007199254740993");
		});
		assertThat(atShopify.usageRecordCalls()).isOne();

		JsonNode node = graphQl.query(token, "query($id: ID!) { node(id: $id) { ... on UsageCharge { status } } }",
				Map.of("id", charge.path("id").asString()), Map.of()).data();
		assertThat(node.path("node").path("status").asString()).isEqualTo("SUCCEEDED");
		JsonNode subscription = graphQl.query(token, """
				{ currentSubscription { planHandle cappedAmount { amount } currentPeriod { usedAmount { amount }
				  remainingAmount { amount } } } }""").data().path("currentSubscription");
		assertThat(subscription.path("currentPeriod").path("usedAmount").path("amount").asString()).isEqualTo("0.1000");
		assertThat(subscription.path("currentPeriod").path("remainingAmount").path("amount").asString())
				.isEqualTo("49.9000");
	}

	@Test
	void plansAreListedAndAnUnknownPlanIsAUserError() {
		String token = SessionTokens.forShop(SessionTokens.uniqueShop("plans")).token();
		GraphQlHttp graphQl = new GraphQlHttp(port);

		JsonNode plans = graphQl.query(token, "{ billingPlans { handle usageFee { amount currencyCode } } }").data()
				.path("billingPlans");
		JsonNode refused = graphQl.query(token, """
				mutation { subscriptionCreate(planHandle: "platinum") { confirmationUrl userErrors { field code } } }""")
				.data().path("subscriptionCreate");

		assertThat(plans.findValuesAsString("handle")).containsExactly("starter", "growth");
		assertThat(refused.path("confirmationUrl").isNull()).isTrue();
		assertThat(refused.path("userErrors").path(0).path("code").asString()).isEqualTo("PLAN_NOT_FOUND");
		assertThat(refused.path("userErrors").path(0).path("field").path(0).asString()).isEqualTo("planHandle");
	}

	private long deliveries(String shop) {
		return jdbc.sql("""
				SELECT count(*) FROM webhooks.deliveries d JOIN catalog.shops s ON s.id = d.shop_id
				WHERE s.shopify_domain = ? AND d.topic = 'orders/create'""").param(shop).query(Long.class).single();
	}

	private static JsonNode charges(GraphQlHttp graphQl, String token) {
		return graphQl.query(token, """
				{ usageCharges(first: 10) { nodes { id orderId status idempotencyKey shopifyUsageRecordId
				  amount { amount currencyCode } transitions { from to actor reason at } } } }""").data()
				.path("usageCharges");
	}
}
