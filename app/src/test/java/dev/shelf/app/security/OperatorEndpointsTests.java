package dev.shelf.app.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.shelf.support.SessionTokens;
import dev.shelf.support.ShelfApplicationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/** Health is public for load balancers; metrics are for operators only, and a shop's token is not an operator's. */
@ShelfApplicationTest
class OperatorEndpointsTests {

	@LocalServerPort
	int port;

	private final HttpClient client = HttpClient.newHttpClient();

	@Test
	void healthAndInfoArePublic() throws Exception {
		assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);
		assertThat(get("/actuator/health", null).body()).contains("\"status\":\"UP\"");
		assertThat(get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
		assertThat(get("/actuator/info", null).statusCode()).isEqualTo(200);
	}

	@Test
	void metricsNeedTheOperatorsCredentials() throws Exception {
		String operator = "Basic " + Base64.getEncoder().encodeToString(
				("operator:" + ShelfApplicationTest.OPERATOR_PASSWORD).getBytes(StandardCharsets.UTF_8));
		String wrongPassword = "Basic " + Base64.getEncoder().encodeToString(
				"operator:guess".getBytes(StandardCharsets.UTF_8));

		assertThat(get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
		assertThat(get("/actuator/prometheus", wrongPassword).statusCode()).isEqualTo(401);
		assertThat(get("/actuator/metrics", "Bearer " + SessionTokens.forShop(SessionTokens.uniqueShop("not-operator"))
				.token()).statusCode()).isEqualTo(401);
		var scraped = get("/actuator/prometheus", operator);
		assertThat(scraped.statusCode()).isEqualTo(200);
		assertThat(scraped.body()).contains("jvm_memory_used_bytes");
	}

	@Test
	void theGuardSwitchIsNotThereUnlessConfigured() throws Exception {
		String operator = "Basic " + Base64.getEncoder().encodeToString(
				("operator:" + ShelfApplicationTest.OPERATOR_PASSWORD).getBytes(StandardCharsets.UTF_8));

		// Not an endpoint, so no operator's path either: closed as every unknown path is.
		assertThat(get("/actuator/graphqlcost", operator).statusCode()).isEqualTo(403);
	}

	@Test
	void everythingElseIsClosed() throws Exception {
		assertThat(get("/", null).statusCode()).isIn(401, 403);
		assertThat(get("/some/path", null).statusCode()).isIn(401, 403);
	}

	private HttpResponse<String> get(String path, String authorization) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}
}
