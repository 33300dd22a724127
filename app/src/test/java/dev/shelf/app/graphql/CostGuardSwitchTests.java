package dev.shelf.app.graphql;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.shelf.support.GraphQlHttp;
import dev.shelf.support.ShelfApplicationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static dev.shelf.support.SessionTokens.forShop;
import static dev.shelf.support.SessionTokens.uniqueShop;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code shelf.graphql.cost.switchable}: operators, and only they, turn the API guard off and on in a running
 * instance ({@code /actuator/graphqlcost}), which bench/api-guard.sh needs to measure the guard inside one JVM. Where
 * it is not switchable (the default) the endpoint does not exist: {@code OperatorEndpointsTests}.
 */
@ShelfApplicationTest
@TestPropertySource(properties = { "shelf.graphql.cost.switchable=true", "shelf.graphql.cost.max-query-cost=100" })
class CostGuardSwitchTests {

	/** Costs 2 + 50 × (1 + 2 + 10 × 1) = 652, above this context's maximum of 100. */
	private static final String COSTLY = "{ products(first: 50) { nodes { id variants(first: 10) { nodes { id } } } } }";

	@LocalServerPort
	int port;

	private final HttpClient client = HttpClient.newHttpClient();
	private GraphQlHttp graphql;
	private String token;

	@BeforeEach
	void setUp() {
		graphql = new GraphQlHttp(port);
		token = forShop(uniqueShop("switch")).token();
	}

	@AfterEach
	void guardBackOn() throws Exception {
		switchGuard(true, operator());
	}

	@Test
	void anOperatorTurnsTheGuardOffAndOnInARunningInstance() throws Exception {
		assertThat(graphql.query(token, COSTLY).firstErrorCode()).isEqualTo("MAX_COST_EXCEEDED");

		HttpResponse<String> off = switchGuard(false, operator());
		assertThat(off.statusCode()).isEqualTo(200);
		assertThat(off.body()).isEqualTo("{\"enabled\":false}");
		GraphQlHttp.Response unguarded = graphql.query(token, COSTLY);
		assertThat(unguarded.body().has("errors")).as(unguarded.body().toString()).isFalse();
		assertThat(unguarded.body().path("extensions").has("cost")).isFalse();
		assertThat(send(HttpRequest.newBuilder(endpoint()).header("Authorization", operator()).GET()).body())
				.isEqualTo("{\"enabled\":false}");

		assertThat(switchGuard(true, operator()).body()).isEqualTo("{\"enabled\":true}");
		GraphQlHttp.Response guarded = graphql.query(token, COSTLY);
		assertThat(guarded.firstErrorCode()).isEqualTo("MAX_COST_EXCEEDED");
		assertThat(guarded.body().path("extensions").path("cost").path("requestedQueryCost").asLong()).isEqualTo(652);
	}

	@Test
	void nobodyButAnOperatorMayTouchTheSwitch() throws Exception {
		assertThat(switchGuard(false, null).statusCode()).isEqualTo(401);
		assertThat(switchGuard(false, "Bearer " + token).statusCode()).isEqualTo(401);
		assertThat(switchGuard(false, GraphQlHttp.basic("operator", "guess")).statusCode()).isEqualTo(401);

		assertThat(graphql.query(token, COSTLY).firstErrorCode()).isEqualTo("MAX_COST_EXCEEDED");
	}

	@Test
	void aSwitchWithoutAValueIsRefusedAndChangesNothing() throws Exception {
		HttpResponse<String> refused = send(HttpRequest.newBuilder(endpoint()).header("Authorization", operator())
				.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")));

		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(graphql.query(token, COSTLY).firstErrorCode()).isEqualTo("MAX_COST_EXCEEDED");
	}

	private HttpResponse<String> switchGuard(boolean enabled, String authorization) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(endpoint()).header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"enabled\":" + enabled + "}"));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return send(request);
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI endpoint() {
		return URI.create("http://localhost:" + port + "/actuator/graphqlcost");
	}

	private static String operator() {
		return GraphQlHttp.basic("operator", ShelfApplicationTest.OPERATOR_PASSWORD);
	}
}
