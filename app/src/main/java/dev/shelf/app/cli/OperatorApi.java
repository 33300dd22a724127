package dev.shelf.app.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operators' GraphQL API of a running Shelf, as the command-line sub-commands call it: HTTP Basic as
 * {@code operator} with {@code SHELF_OPERATOR_PASSWORD}, at {@code --url=} (default
 * {@code http://localhost:$SERVER_PORT/graphql}).
 */
final class OperatorApi {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private final URI endpoint;
	private final String authorization;
	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	OperatorApi(URI endpoint, String password) {
		this.endpoint = endpoint;
		this.authorization = "Basic " + Base64.getEncoder()
				.encodeToString(("operator:" + password).getBytes(StandardCharsets.UTF_8));
	}

	static String defaultUrl(Map<String, String> environment) {
		return "http://localhost:" + environment.getOrDefault("SERVER_PORT", "8080") + "/graphql";
	}

	/** A command's conversation with Shelf, returning its exit code. */
	@FunctionalInterface
	interface Conversation {
		int run() throws IOException, InterruptedException;
	}

	/** Runs a command's conversation: an unreachable Shelf or an error answer is exit code 1, an interrupt 130. */
	static int exitCodeOf(String url, PrintStream err, Conversation conversation) {
		try {
			return conversation.run();
		}
		catch (IOException | IllegalStateException e) {
			err.println("Could not reach Shelf at " + url + ": " + e.getMessage());
			return 1;
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return 130;
		}
	}

	/** @return the answer's {@code data} */
	JsonNode query(String document, Map<String, Object> variables) throws IOException, InterruptedException {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("query", document);
		body.put("variables", variables);
		HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
				.header("Content-Type", "application/json").header("Authorization", authorization)
				.header("X-Client-Name", "shelf-cli")
				.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
		HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IllegalStateException("HTTP " + response.statusCode() + " " + response.body());
		}
		JsonNode json = JSON.readTree(response.body());
		if (json.path("errors").isArray() && !json.path("errors").isEmpty()) {
			throw new IllegalStateException(json.path("errors").path(0).path("message").asString());
		}
		return json.path("data");
	}
}
