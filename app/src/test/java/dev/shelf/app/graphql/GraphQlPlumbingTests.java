package dev.shelf.app.graphql;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.shelf.support.GraphQlHttp;
import dev.shelf.support.ShelfApplicationTest;
import graphql.introspection.IntrospectionQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.graphql.execution.GraphQlSource;

import static dev.shelf.support.SessionTokens.forShop;
import static dev.shelf.support.SessionTokens.uniqueShop;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared GraphQL layer: limits that stop a query before it runs, an {@code extensions.code} on every error, and
 * the per-client count of deprecated fields operators read.
 */
@ShelfApplicationTest
class GraphQlPlumbingTests {

	@LocalServerPort
	int port;

	GraphQlHttp http;
	String token;

	@Autowired
	GraphQlSource graphQlSource;

	@BeforeEach
	void setUp() {
		http = new GraphQlHttp(port);
		token = forShop(uniqueShop("plumbing")).token();
	}

	@Test
	void graphqlJavaCallsOneInstrumentationNotAChainOfAllOfThem() {
		assertThat(graphQlSource.graphQl().getInstrumentation()).isInstanceOf(OperationChecks.class);
	}

	@Test
	void aQueryDeeperThanTheLimitIsRejectedBeforeExecution() {
		// __schema > types > fields > type > 11 × ofType > name: 16 levels, one more than allowed.
		String ofTypes = "{ ofType ".repeat(11) + "{ name }" + " }".repeat(11);
		var response = http.query(token, "{ shop { id } __schema { types { fields { type " + ofTypes + " } } } }");

		assertThat(response.firstErrorCode()).isEqualTo("MAX_DEPTH_EXCEEDED");
		assertThat(response.firstError().path("message").asString()).contains("maximum is 15");
		assertThat(response.data().isMissingNode() || response.data().isNull()).as("nothing executed").isTrue();
	}

	@Test
	void graphiqlsIntrospectionQueryFitsWithinTheDepthLimit() {
		var response = http.query(token, IntrospectionQuery.INTROSPECTION_QUERY);

		assertThat(response.body().has("errors")).isFalse();
		assertThat(response.data().path("__schema").path("types").size()).isGreaterThan(10);
	}

	@Test
	void aDocumentLongerThanTheLimitIsRejectedBeforeParsing() {
		String padding = " ".repeat(40_000);
		var response = http.query(token, "{ shop { id } }" + padding);

		assertThat(response.firstErrorCode()).isEqualTo("MAX_DOCUMENT_SIZE_EXCEEDED");
		assertThat(response.firstError().path("message").asString()).contains("maximum is 32768");
		assertThat(response.data().isMissingNode() || response.data().isNull()).isTrue();
	}

	@Test
	void aSyntaxErrorHasTheParseFailedCode() {
		assertThat(http.query(token, "{ shop { id ").firstErrorCode()).isEqualTo("GRAPHQL_PARSE_FAILED");
	}

	@Test
	void anUnknownFieldHasTheValidationFailedCode() {
		var response = http.query(token, "{ shop { nonExistentField } }");

		assertThat(response.firstErrorCode()).isEqualTo("GRAPHQL_VALIDATION_FAILED");
	}

	@Test
	void aMalformedGlobalIdIsBadUserInput() {
		var response = http.query(token, "{ node(id: \"42\") { id } }");

		assertThat(response.firstErrorCode()).isEqualTo("BAD_USER_INPUT");
		assertThat(response.firstError().path("message").asString()).contains("Invalid global id '42'");
		assertThat(response.firstError().path("path").path(0).asString()).isEqualTo("node");
	}

	@Test
	void moreThan250IdsInOneNodesCallIsBadUserInput() {
		List<String> ids = java.util.stream.IntStream.rangeClosed(1, 251).mapToObj(i -> "gid://shelf/Shop/" + i).toList();
		var response = http.query(token, "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", Map.of("ids", ids), Map.of());

		assertThat(response.firstErrorCode()).isEqualTo("BAD_USER_INPUT");
	}

	@Test
	void theCallersRequestIdIsEchoedAndANewOneIsMadeOtherwise() {
		var echoed = http.query(token, "{ shop { id } }", Map.of(), Map.of("X-Request-Id", "frontend-req-7"));
		var generated = http.query(token, "{ shop { id } }");
		var unsafe = http.query(token, "{ shop { id } }", Map.of(), Map.of("X-Request-Id", "a b\"<script>"));

		assertThat(echoed.header("X-Request-Id")).isEqualTo("frontend-req-7");
		assertThat(generated.header("X-Request-Id")).matches("[0-9a-f-]{36}");
		assertThat(unsafe.header("X-Request-Id")).matches("[0-9a-f-]{36}");
	}

	@Test
	void rejectedRequestsAreLoggedWithTheirRequestIdAndShop() {
		String shop = uniqueShop("logged");
		http.query(forShop(shop).token(), "{ shop { nonExistentField } }", Map.of(),
				Map.of("X-Request-Id", "trace-me-123"));

		assertThat(logged).anySatisfy(event -> {
			assertThat(event.getFormattedMessage()).contains("GRAPHQL_VALIDATION_FAILED");
			assertThat(event.getMDCPropertyMap()).containsEntry("requestId", "trace-me-123").containsEntry("shop", shop);
		});
	}

	@Test
	void operatorsSeeWhichClientStillUsesADeprecatedField() {
		String client = "plumbing-" + System.nanoTime();
		for (int i = 0; i < 2; i++) {
			http.query(token, "{ shopifyProducts(first: 1) { nodes { id } } }", Map.of(), Map.of("X-Client-Name", client));
		}

		String metric = operatorGet("/actuator/metrics/shelf.graphql.deprecated.usage?tag=client:" + client
				+ "&tag=field:Query.shopifyProducts");
		String prometheus = operatorGet("/actuator/prometheus");

		assertThat(metric).contains("\"statistic\":\"COUNT\",\"value\":2.0");
		assertThat(prometheus).containsPattern("shelf_graphql_deprecated_usage_total\\{[^}]*client=\"" + client
				+ "\",field=\"Query.shopifyProducts\"[^}]*} 2.0");
	}

	private String operatorGet(String path) {
		String credentials = Base64.getEncoder().encodeToString(
				("operator:" + ShelfApplicationTest.OPERATOR_PASSWORD).getBytes(StandardCharsets.UTF_8));
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
				.header("Authorization", "Basic " + credentials).build();
		try {
			HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
			return response.body();
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	private final List<ILoggingEvent> logged = new CopyOnWriteArrayList<>();
	private final AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
		@Override
		protected void append(ILoggingEvent event) {
			event.prepareForDeferredProcessing();
			logged.add(event);
		}
	};

	@BeforeEach
	void captureLogs() {
		capture.start();
		((Logger) LoggerFactory.getLogger(ErrorCodes.class)).addAppender(capture);
	}

	@AfterEach
	void releaseLogs() {
		((Logger) LoggerFactory.getLogger(ErrorCodes.class)).detachAppender(capture);
	}
}
