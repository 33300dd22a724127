package dev.shelf.app.graphql;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import dev.shelf.support.ShelfApplicationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static dev.shelf.support.SessionTokens.forShop;
import static dev.shelf.support.SessionTokens.uniqueShop;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The GraphQL-over-HTTP specification (graphql.github.io/graphql-over-http), rule by rule, over real HTTP: what a
 * standard GraphQL client may rely on. {@code application/graphql-response+json} is the specification's media type
 * (request errors get 4xx); {@code application/json} is the legacy one (well-formed requests get 200).
 */
@ShelfApplicationTest
class GraphQlOverHttpTests {

	private static final String GRAPHQL_RESPONSE = "application/graphql-response+json";
	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	private final HttpClient client = HttpClient.newHttpClient();
	private String token;

	@BeforeEach
	void setUp() {
		token = forShop(uniqueShop("over-http")).token();
	}

	@Test
	void theResponseMediaTypeFollowsTheAcceptHeaderInUtf8() throws Exception {
		HttpResponse<String> modern = post("{\"query\":\"{ shop { myshopifyDomain } }\"}", GRAPHQL_RESPONSE);
		assertThat(modern.statusCode()).isEqualTo(200);
		assertThat(contentType(modern)).startsWith(GRAPHQL_RESPONSE);

		HttpResponse<String> legacy = post("{\"query\":\"{ shop { myshopifyDomain } }\"}", "application/json");
		assertThat(legacy.statusCode()).isEqualTo(200);
		assertThat(contentType(legacy)).startsWith("application/json");

		HttpResponse<String> unicode = post("{\"query\":\"{ shop { myshopifyDomain } }\", \"operationName\": null}",
				GRAPHQL_RESPONSE);
		assertThat(unicode.headers().firstValue("Content-Type").orElse("").toLowerCase()).satisfiesAnyOf(
				type -> assertThat(type).contains("charset=utf-8"), type -> assertThat(type).doesNotContain("charset"));
	}

	@Test
	void malformedJsonIsABadRequest() throws Exception {
		assertThat(post("{\"query\": ", GRAPHQL_RESPONSE).statusCode()).isEqualTo(400);
		assertThat(post("{\"query\": ", "application/json").statusCode()).isEqualTo(400);
	}

	@Test
	void aRequestWithoutAQueryIsABadRequest() throws Exception {
		assertThat(post("{\"variables\": {}}", GRAPHQL_RESPONSE).statusCode()).isEqualTo(400);
		assertThat(post("{\"query\": 42}", GRAPHQL_RESPONSE).statusCode()).isEqualTo(400);
	}

	@Test
	void aDocumentThatDoesNotParseIs400WithTheModernMediaTypeAnd200WithTheLegacyOne() throws Exception {
		HttpResponse<String> modern = post("{\"query\":\"{ shop { \"}", GRAPHQL_RESPONSE);
		assertThat(modern.statusCode()).isEqualTo(400);
		assertThat(code(modern)).isEqualTo("GRAPHQL_PARSE_FAILED");

		HttpResponse<String> legacy = post("{\"query\":\"{ shop { \"}", "application/json");
		assertThat(legacy.statusCode()).isEqualTo(200);
		assertThat(code(legacy)).isEqualTo("GRAPHQL_PARSE_FAILED");
	}

	@Test
	void aDocumentThatFailsValidationIs400WithTheModernMediaTypeAnd200WithTheLegacyOne() throws Exception {
		HttpResponse<String> modern = post("{\"query\":\"{ shop { noSuchField } }\"}", GRAPHQL_RESPONSE);
		assertThat(modern.statusCode()).isEqualTo(400);
		assertThat(code(modern)).isEqualTo("GRAPHQL_VALIDATION_FAILED");

		assertThat(post("{\"query\":\"{ shop { noSuchField } }\"}", "application/json").statusCode()).isEqualTo(200);
	}

	@Test
	void variablesOfTheWrongTypeAreARequestError() throws Exception {
		String body = "{\"query\":\"query($first: Int!) { products(first: $first) { nodes { id } } }\","
				+ "\"variables\": {\"first\": \"many\"}}";
		HttpResponse<String> modern = post(body, GRAPHQL_RESPONSE);
		assertThat(modern.statusCode()).isEqualTo(400);
		assertThat(JSON.readTree(modern.body()).has("data")).isFalse();

		assertThat(post(body, "application/json").statusCode()).isEqualTo(200);
	}

	@Test
	void getCannotRunAMutation() throws Exception {
		String mutation = URLEncoder.encode("mutation { productCreate(input: {title: \"via GET\"}) { userErrors { code } } }",
				StandardCharsets.UTF_8);
		HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url() + "?query=" + mutation))
				.header("Authorization", "Bearer " + token).header("Accept", GRAPHQL_RESPONSE).GET().build());

		assertThat(response.statusCode()).isEqualTo(405);
		assertThat(response.headers().firstValue("Allow").orElse("")).contains("POST");
	}

	private HttpResponse<String> post(String body, String accept) throws IOException, InterruptedException {
		return send(HttpRequest.newBuilder(URI.create(url()))
				.header("Authorization", "Bearer " + token)
				.header("Content-Type", "application/json")
				.header("Accept", accept)
				.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
	}

	private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

	private String url() {
		return "http://localhost:" + port + "/graphql";
	}

	private static String contentType(HttpResponse<String> response) {
		return response.headers().firstValue("Content-Type").orElse("");
	}

	private static String code(HttpResponse<String> response) {
		JsonNode body = JSON.readTree(response.body());
		return body.path("errors").path(0).path("extensions").path("code").asString();
	}
}
