package dev.shelf.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Posts GraphQL documents to the running application over real HTTP, the way the frontend does, and exposes the
 * raw status, headers and JSON body — tests about authentication and transport need all three.
 */
public final class GraphQlHttp {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
	private final URI endpoint;

	public GraphQlHttp(int port) {
		this.endpoint = URI.create("http://localhost:" + port + "/graphql");
	}

	/** As an operator: HTTP Basic with the test's operator password. */
	public Response asOperator(String document, Map<String, Object> variables) {
		return query(null, document, variables, Map.of("Authorization", basic("operator", ShelfApplicationTest.OPERATOR_PASSWORD)));
	}

	public static String basic(String user, String password) {
		return "Basic " + java.util.Base64.getEncoder()
				.encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	/** Posts a raw GraphQL-over-HTTP body, e.g. a persisted query's hash without its document. */
	public Response post(String bearerToken, Map<String, Object> body) {
		return send(bearerToken, body, Map.of());
	}

	public Response query(String bearerToken, String document) {
		return query(bearerToken, document, Map.of(), Map.of());
	}

	public Response query(String bearerToken, String document, Map<String, Object> variables,
			Map<String, String> headers) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("query", document);
		body.put("variables", variables);
		return send(bearerToken, body, headers);
	}

	private Response send(String bearerToken, Map<String, Object> body, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
				.timeout(Duration.ofSeconds(30))
				.header("Content-Type", "application/json")
				.header("Accept", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
		if (bearerToken != null) {
			request.header("Authorization", "Bearer " + bearerToken);
		}
		headers.forEach(request::header);
		try {
			HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response, JSON.readTree(response.body()));
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	public record Response(int status, HttpResponse<String> http, JsonNode body) {

		public JsonNode data() {
			return body.path("data");
		}

		public JsonNode firstError() {
			return body.path("errors").path(0);
		}

		public String firstErrorCode() {
			return firstError().path("extensions").path("code").asString();
		}

		public String header(String name) {
			return http.headers().firstValue(name).orElse(null);
		}
	}
}
