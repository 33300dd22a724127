package dev.shelf.app.webhooks;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.shelf.catalog.Shops;
import dev.shelf.support.GraphQlHttp;
import dev.shelf.support.SessionTokens;
import dev.shelf.support.ShelfApplicationTest;
import dev.shelf.support.ShopifyWebhooks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import static dev.shelf.support.SessionTokens.uniqueShop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Operators find failed deliveries, see why, and replay them through GraphQL with their own credential; shops cannot.
 * An outage is simulated by a constraint that rejects one shop's orders in billing — the kind of failure that ends
 * when someone fixes something, after which a replay must succeed exactly once.
 */
@ShelfApplicationTest
class WebhookOperatorApiTests {

	private static final String DEAD_DELIVERIES = """
			query($shop: String, $first: Int, $after: String) {
			  webhookDeliveries(state: DEAD, shopDomain: $shop, first: $first, after: $after) {
			    nodes { id topic shopDomain state attempts lastError outcome replays body }
			    pageInfo { hasNextPage hasPreviousPage endCursor }
			  }
			}""";

	private static final String REPLAY = """
			mutation($id: ID!) {
			  webhookDeliveryReplay(id: $id) {
			    delivery { id state replays }
			    userErrors { field message code }
			  }
			}""";

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	Shops shops;

	GraphQlHttp graphql;
	String shop;
	long shopId;

	@BeforeEach
	void setUp() {
		graphql = new GraphQlHttp(port);
		shop = uniqueShop("operator");
		shopId = shops.registerOnFirstSight(shop).id().value();
	}

	@AfterEach
	void endOutage() {
		jdbc.sql("ALTER TABLE billing.orders DROP CONSTRAINT IF EXISTS " + outageConstraint()).update();
	}

	@Test
	void operatorsSeeWhyADeliveryDiedAndReplayItOnceTheCauseIsFixed() {
		startOutage();
		order(1001).send();
		await().atMost(Duration.ofSeconds(10)).until(() -> deadDeliveries().size() == 1);

		JsonNode dead = deadDeliveries().get(0);
		assertThat(dead.path("topic").asString()).isEqualTo("orders/create");
		assertThat(dead.path("attempts").asInt()).isEqualTo(3);
		assertThat(dead.path("lastError").asString()).contains(outageConstraint());
		assertThat(dead.path("body").asString()).contains("\"id\": 1001");

		endOutage();
		JsonNode replay = graphql.asOperator(REPLAY, Map.of("id", dead.path("id").asString())).data()
				.path("webhookDeliveryReplay");
		assertThat(replay.path("userErrors")).isEmpty();
		assertThat(replay.path("delivery").path("replays").asInt()).isEqualTo(1);
		await().atMost(Duration.ofSeconds(10)).until(() -> orders() == 1);
		await().atMost(Duration.ofSeconds(10)).until(() -> "PROCESSED".equals(state(dead)));

		JsonNode again = graphql.asOperator(REPLAY, Map.of("id", dead.path("id").asString())).data()
				.path("webhookDeliveryReplay");
		assertThat(again.path("userErrors").path(0).path("code").asString()).isEqualTo("ALREADY_PROCESSED");
		assertThat(again.path("delivery").path("state").asString()).isEqualTo("PROCESSED");
		assertThat(orders()).isEqualTo(1);
		assertThat(deadDeliveries()).isEmpty();
	}

	@Test
	void replayingATopicQueuesEachDeadDeliveryOnceAndOnlyThatTopic() {
		startOutage();
		order(2001).send();
		order(2002).send();
		ShopifyWebhooks.delivery(port, "products/update", shop).body("{\"id\": 5, \"title\": \"no updated_at\"}").send();
		await().atMost(Duration.ofSeconds(10)).until(() -> deadDeliveries().size() == 3);
		endOutage();

		String bulk = """
				mutation($shop: String) {
				  webhookDeliveriesReplay(topic: "orders/create", shopDomain: $shop) { replayedCount userErrors { code } }
				}""";
		assertThat(graphql.asOperator(bulk, Map.of("shop", shop)).data().path("webhookDeliveriesReplay")
				.path("replayedCount").asInt()).isEqualTo(2);
		assertThat(graphql.asOperator(bulk, Map.of("shop", shop)).data().path("webhookDeliveriesReplay")
				.path("replayedCount").asInt()).as("nothing of that topic is dead any more").isZero();

		await().atMost(Duration.ofSeconds(10)).until(() -> orders() == 2);
		await().atMost(Duration.ofSeconds(10)).until(() -> deadDeliveries().size() == 1);
		assertThat(deadDeliveries().get(0).path("topic").asString()).isEqualTo("products/update");
	}

	@Test
	void deadDeliveriesArePagedNewestFirstWithCursors() {
		for (int i = 0; i < 3; i++) {
			ShopifyWebhooks.delivery(port, "orders/create", shop).body("{not json " + i).send();
		}
		JsonNode first = graphql.asOperator(DEAD_DELIVERIES, Map.of("shop", shop, "first", 2)).data()
				.path("webhookDeliveries");
		assertThat(first.path("nodes")).hasSize(2);
		assertThat(first.path("pageInfo").path("hasNextPage").asBoolean()).isTrue();
		assertThat(first.path("pageInfo").path("hasPreviousPage").asBoolean()).isFalse();
		assertThat(first.path("nodes").path(0).path("body").asString()).isEqualTo("{not json 2");

		JsonNode second = graphql.asOperator(DEAD_DELIVERIES, Map.of("shop", shop, "first", 2, "after",
				first.path("pageInfo").path("endCursor").asString())).data().path("webhookDeliveries");
		assertThat(second.path("nodes")).hasSize(1);
		assertThat(second.path("nodes").path(0).path("body").asString()).isEqualTo("{not json 0");
		assertThat(second.path("nodes").path(0).path("lastError").asString()).startsWith("malformed JSON");
		assertThat(second.path("pageInfo").path("hasNextPage").asBoolean()).isFalse();
	}

	@Test
	void aShopsSessionTokenCannotUseOperatorFieldsAndAnOperatorHasNoShop() {
		String token = SessionTokens.forShop(shop).token();
		GraphQlHttp.Response asShop = graphql.query(token, "{ webhookDeliveries { nodes { id } } }");
		assertThat(asShop.status()).isEqualTo(200);
		assertThat(asShop.firstErrorCode()).isEqualTo("ACCESS_DENIED");
		assertThat(asShop.data().isNull()).isTrue();
		GraphQlHttp.Response replayAsShop = graphql.query(token,
				"mutation { webhookDeliveriesReplay(topic: \"orders/create\") { replayedCount } }");
		assertThat(replayAsShop.firstErrorCode()).isEqualTo("ACCESS_DENIED");

		GraphQlHttp.Response operatorAsShop = graphql.asOperator("{ shop { id } }", Map.of());
		assertThat(operatorAsShop.firstErrorCode()).isEqualTo("ACCESS_DENIED");

		GraphQlHttp.Response wrongPassword = graphql.query(null, "{ webhookDeliveries { nodes { id } } }", Map.of(),
				Map.of("Authorization", GraphQlHttp.basic("operator", "guess")));
		assertThat(wrongPassword.status()).isEqualTo(401);
		assertThat(wrongPassword.firstErrorCode()).isEqualTo("UNAUTHENTICATED");
		assertThat(wrongPassword.firstError().path("message").asString()).startsWith("Invalid operator credentials");
	}

	private void startOutage() {
		jdbc.sql("ALTER TABLE billing.orders ADD CONSTRAINT " + outageConstraint() + " CHECK (shop_id <> " + shopId
				+ ") NOT VALID").update();
	}

	private String outageConstraint() {
		return "simulated_outage_shop_" + shopId;
	}

	private ShopifyWebhooks order(long id) {
		return ShopifyWebhooks.delivery(port, "orders/create", shop).body("""
				{"id": %d, "total_price": "10.00", "currency": "EUR", "created_at": "2026-11-21T10:00:00Z"}"""
				.formatted(id));
	}

	private List<JsonNode> deadDeliveries() {
		GraphQlHttp.Response response = graphql.asOperator(DEAD_DELIVERIES, Map.of("shop", shop, "first", 250));
		assertThat(response.body().path("errors").isMissingNode()).as(response.body().toString()).isTrue();
		return response.data().path("webhookDeliveries").path("nodes").valueStream().toList();
	}

	private String state(JsonNode delivery) {
		return graphql.asOperator("query($id: ID!) { webhookDelivery(id: $id) { state } }",
				Map.of("id", delivery.path("id").asString())).data().path("webhookDelivery").path("state").asString();
	}

	private long orders() {
		return jdbc.sql("SELECT count(*) FROM billing.orders WHERE shop_id = ?").param(shopId).query(Long.class).single();
	}
}
