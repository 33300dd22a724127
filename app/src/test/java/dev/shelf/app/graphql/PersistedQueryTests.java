package dev.shelf.app.graphql;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.shelf.support.GraphQlHttp;
import dev.shelf.support.ShelfApplicationTest;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.language.Document;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.FileSystemResource;
import tools.jackson.databind.json.JsonMapper;

import static dev.shelf.support.SessionTokens.forShop;
import static dev.shelf.support.SessionTokens.uniqueShop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Persisted queries: Apollo's automatic protocol round-trips over HTTP; the allow-list mode (a production option, so
 * tested on graphql-java directly rather than with a second application context) refuses every document that is
 * not in the manifest, sent whole or by hash.
 */
@ShelfApplicationTest
class PersistedQueryTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Autowired
	MeterRegistry meters;

	@Test
	void aHashOnlyRequestWorksOnceTheDocumentWasSentWithItsHash() {
		GraphQlHttp graphql = new GraphQlHttp(port);
		String token = forShop(uniqueShop("apq")).token();
		// A document no other test sends, so its hash is unknown to this instance.
		String document = "{ shop { myshopifyDomain currencyCode } }  # " + System.nanoTime();
		Map<String, Object> persisted = Map.of("persistedQuery", Map.of("version", 1, "sha256Hash",
				PersistedQueries.sha256(document)));

		GraphQlHttp.Response unknown = graphql.post(token, Map.of("extensions", persisted));
		assertThat(unknown.firstErrorCode()).isEqualTo("PERSISTED_QUERY_NOT_FOUND");
		assertThat(unknown.firstError().path("message").asString()).isEqualTo("PersistedQueryNotFound");

		GraphQlHttp.Response registered = graphql.post(token, Map.of("query", document, "extensions", persisted));
		assertThat(registered.data().path("shop").path("currencyCode").asString()).isEqualTo("USD");

		GraphQlHttp.Response byHash = graphql.post(token, Map.of("extensions", persisted));
		assertThat(byHash.body().has("errors")).as(byHash.body().toString()).isFalse();
		assertThat(byHash.data()).isEqualTo(registered.data());
	}

	@Test
	void hashOnlyRequestsOfDifferentDocumentsAreCostedAndCountedEachAsItsOwnDocument() {
		GraphQlHttp graphql = new GraphQlHttp(port);
		String token = forShop(uniqueShop("apq-cost")).token();
		// graphql-java hands the cost guard and the deprecation counter the same marker text for every hash-only
		// request: each must still see the document the hash names. Unique documents: no other test sends them.
		String cheap = "{ shop { id } }  # " + System.nanoTime();
		String dear = "{ products(first: 10) { nodes { id } } }  # " + System.nanoTime();
		String deprecated = "{ shopifyProducts(first: 1) { nodes { id } } }  # " + System.nanoTime();
		for (String document : List.of(cheap, dear, deprecated)) {
			graphql.post(token, Map.of("query", document, "extensions", persisted(document)));
		}

		assertThat(requestedCost(graphql.post(token, Map.of("extensions", persisted(cheap))))).isEqualTo(1);
		assertThat(requestedCost(graphql.post(token, Map.of("extensions", persisted(dear))))).isEqualTo(12);
		double before = deprecatedUses();
		graphql.post(token, Map.of("extensions", persisted(cheap)));
		assertThat(deprecatedUses()).as("a document without deprecated fields").isEqualTo(before);
		graphql.post(token, Map.of("extensions", persisted(deprecated)));
		assertThat(deprecatedUses()).isEqualTo(before + 1);
	}

	private static Map<String, Object> persisted(String document) {
		return Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", PersistedQueries.sha256(document)));
	}

	private static long requestedCost(GraphQlHttp.Response response) {
		assertThat(response.body().has("errors")).as(response.body().toString()).isFalse();
		return response.body().path("extensions").path("cost").path("requestedQueryCost").asLong();
	}

	private double deprecatedUses() {
		return meters.find(DeprecatedUsageMetrics.METRIC).tag("field", "Query.shopifyProducts").counters().stream()
				.mapToDouble(Counter::count).sum();
	}

	@Test
	void aDocumentSentWithAnotherDocumentsHashIsRefused() {
		GraphQlHttp graphql = new GraphQlHttp(port);
		GraphQlHttp.Response response = graphql.post(forShop(uniqueShop("apq-bad")).token(), Map.of(
				"query", "{ shop { id } }",
				"extensions", Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", PersistedQueries.sha256("{ x }")))));

		assertThat(response.firstErrorCode()).isEqualTo("PERSISTED_QUERY_ID_INVALID");
		assertThat(response.data().isMissingNode() || response.data().isNull()).isTrue();
	}

	@Test
	void allowListModeRunsOnlyTheManifestsDocuments(@TempDir Path directory) throws Exception {
		String allowed = "{ hello }";
		Path manifest = directory.resolve("persisted-queries.json");
		Files.writeString(manifest, JSON.writeValueAsString(Map.of(PersistedQueries.sha256(allowed), allowed)));
		GraphQL graphQl = GraphQL.newGraphQL(new SchemaGenerator().makeExecutableSchema(
						new SchemaParser().parse("type Query { hello: String other: String }"),
						RuntimeWiring.newRuntimeWiring().type("Query", type -> type
								.dataFetcher("hello", env -> "world").dataFetcher("other", env -> "secret")).build()))
				.preparsedDocumentProvider(PersistedQueries.provider(
						new PersistedQueries.Settings(new FileSystemResource(manifest), true, 100), JSON))
				.build();

		assertThat(graphQl.execute(allowed).<Map<String, Object>>getData()).containsEntry("hello", "world");
		assertThat(graphQl.execute(byHash(allowed)).<Map<String, Object>>getData()).containsEntry("hello", "world");
		for (ExecutionResult refused : new ExecutionResult[] { graphQl.execute("{ other }"), graphQl.execute(byHash("{ other }")) }) {
			assertThat(refused.getErrors()).singleElement().satisfies(error ->
					assertThat(error.getExtensions()).containsEntry("code", PersistedQueries.NOT_ALLOWED));
			assertThat(refused.<Object>getData()).isNull();
		}
	}

	@Test
	void aDocumentSentWholeIsParsedAndValidatedOnceAndAnInvalidOneEveryTime() {
		AtomicInteger parses = new AtomicInteger();
		GraphQL graphQl = GraphQL.newGraphQL(new SchemaGenerator().makeExecutableSchema(
						new SchemaParser().parse("type Query { hello(name: String): String }"),
						RuntimeWiring.newRuntimeWiring().type("Query", type -> type
								.dataFetcher("hello", env -> "hello " + env.getArgument("name"))).build()))
				.preparsedDocumentProvider(PersistedQueries.provider(new PersistedQueries.Settings(null, false, 100), JSON))
				.instrumentation(new SimplePerformantInstrumentation() {
					@Override
					public InstrumentationContext<Document> beginParse(InstrumentationExecutionParameters parameters,
							InstrumentationState state) {
						parses.incrementAndGet();
						return super.beginParse(parameters, state);
					}
				})
				.build();
		String document = "query ($name: String) { hello(name: $name) }";

		for (String name : new String[] { "a", "b", "c" }) {
			ExecutionResult result = graphQl.execute(ExecutionInput.newExecutionInput().query(document)
					.variables(Map.of("name", name)).build());
			assertThat(result.<Map<String, Object>>getData()).containsEntry("hello", "hello " + name);
		}
		assertThat(parses).hasValue(1);

		for (int i = 0; i < 2; i++) {
			assertThat(graphQl.execute("{ goodbye }").getErrors()).singleElement()
					.satisfies(error -> assertThat(error.getMessage()).contains("goodbye"));
		}
		assertThat(parses).hasValue(3);
	}

	@Test
	void aManifestWhoseHashDoesNotMatchItsDocumentStopsTheStart(@TempDir Path directory) throws Exception {
		Path manifest = directory.resolve("persisted-queries.json");
		Files.writeString(manifest, JSON.writeValueAsString(Map.of(PersistedQueries.sha256("{ a }"), "{ b }")));

		assertThatThrownBy(() -> PersistedQueries.provider(
				new PersistedQueries.Settings(new FileSystemResource(manifest), true, 100), JSON))
				.hasMessageContaining("has another SHA-256");
	}

	private static ExecutionInput byHash(String document) {
		return ExecutionInput.newExecutionInput().query("PersistedQueryMarker")
				.extensions(Map.of("persistedQuery", Map.of("version", 1, "sha256Hash", PersistedQueries.sha256(document))))
				.build();
	}
}
