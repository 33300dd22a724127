package dev.shelf.app.graphql;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.execution.instrumentation.Instrumentation;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.support.DefaultExecutionGraphQlResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.util.LinkedMultiValueMap;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/** Which clients still use a deprecated field, counted in operations: what decides that the field may go. */
class DeprecatedUsageMetricsTests {

	private static final GraphQLSchema SCHEMA = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse("""
			type Query {
			  products(status: Status, filter: Filter): [Product!]!
			}
			type Product {
			  title: String!
			  name: String @deprecated(reason: "Use title.")
			}
			input Filter { statuses: [Status!] legacyStatus: Status @deprecated(reason: "Use statuses.") }
			enum Status { ACTIVE RETIRED @deprecated(reason: "Use ACTIVE.") }
			"""), RuntimeWiring.newRuntimeWiring()
			.type("Query", type -> type.dataFetcher("products", environment -> List.of(
					Map.of("title", "Mug", "name", "Mug"),
					Map.of("title", "Cup", "name", "Cup"),
					Map.of("title", "Jar", "name", "Jar"))))
			.build());

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
	private final DeprecatedUsageMetrics metrics = new DeprecatedUsageMetrics(registry);

	@Test
	void eachOperationCountsOnceHoweverManyItemsItReturns() {
		ExecutionResult first = execute("{ products { title name } }", "web");
		execute("{ products { name } }", "web");

		assertThat(first.<Map<String, List<?>>>getData().get("products")).hasSize(3);
		assertThat(usage("Product.name", "web")).isEqualTo(2);
	}

	@Test
	void aFieldSelectedSeveralTimesInOneOperationCountsOnce() {
		execute("""
				{ a: products { name } b: products { ...names } }
				fragment names on Product { name alsoName: name }
				""", "web");

		assertThat(usage("Product.name", "web")).isEqualTo(1);
	}

	@Test
	void anOperationWithoutDeprecatedFieldsCountsNothing() {
		execute("{ products { title } }", "web");

		assertThat(registry.find(DeprecatedUsageMetrics.METRIC).counters()).isEmpty();
	}

	@Test
	void aFieldLeftOutByIncludeIsNotUsed() {
		execute("{ products { title name @include(if: false) } }", "web");

		assertThat(registry.find(DeprecatedUsageMetrics.METRIC).counters()).isEmpty();
	}

	@Test
	void deprecatedInputsCountWhereverTheClientSendsThem() {
		execute("{ products(status: RETIRED) { title } }", "literal");
		execute(ExecutionInput.newExecutionInput("query($status: Status) { products(status: $status) { title } }")
				.variables(Map.of("status", "RETIRED")), "variable");
		execute("{ products(filter: { statuses: [ACTIVE, RETIRED] }) { title } }", "nested");
		execute("{ products(filter: { legacyStatus: ACTIVE }) { title } }", "legacy-filter");
		execute("{ products(status: ACTIVE, filter: { statuses: [ACTIVE] }) { title } }", "current");

		assertThat(usage("Status.RETIRED", "literal")).isEqualTo(1);
		assertThat(usage("Status.RETIRED", "variable")).isEqualTo(1);
		assertThat(usage("Status.RETIRED", "nested")).isEqualTo(1);
		assertThat(usage("Filter.legacyStatus", "legacy-filter")).isEqualTo(1);
		assertThat(registry.find(DeprecatedUsageMetrics.METRIC).tag("client", "current").counters()).isEmpty();
	}

	@Test
	void theClientIsNamedByItsHeaderOrElseUnknown() {
		executeOverHttp(new HttpHeaders());
		executeOverHttp(headers("admin-web.v2"));
		executeOverHttp(headers("<script>alert(1)</script>"));
		executeOverHttp(headers("x".repeat(65)));

		assertThat(usage("Product.name", "admin-web.v2")).isEqualTo(1);
		assertThat(usage("Product.name", "unknown")).isEqualTo(3);
		assertThat(registry.find(DeprecatedUsageMetrics.METRIC).counters()).hasSize(2);
	}

	@Test
	void clientNamesBeyondTheLimitShareOneTag() {
		for (int i = 0; i <= DeprecatedUsageMetrics.MAX_CLIENTS; i++) {
			execute("{ products { name } }", "client-" + i);
		}

		assertThat(usage("Product.name", "client-0")).isEqualTo(1);
		assertThat(usage("Product.name", "other")).isEqualTo(1);
		assertThat(registry.find(DeprecatedUsageMetrics.METRIC).counters())
				.hasSize(DeprecatedUsageMetrics.MAX_CLIENTS + 1);
	}

	@Test
	void anOperationTheDepthLimitAbortsIsNotCounted() {
		// Counting first in the chain is the order that could count an operation that never ran.
		GraphQL graphQl = graphQl(new ChainedInstrumentation(List.of(metrics, new RequestLimits.DepthLimit(1))));
		ExecutionInput input = fromClient(ExecutionInput.newExecutionInput("{ products { name } }"), "web");

		ExecutionResult result = graphQl.execute(input);

		assertThat(result.getErrors()).singleElement()
				.satisfies(error -> assertThat(error.getExtensions()).containsEntry("code", "MAX_DEPTH_EXCEEDED"));
		assertThat(registry.find(DeprecatedUsageMetrics.METRIC).counters()).isEmpty();
	}

	@Test
	void aFailureWhileCountingNeverFailsTheOperation() {
		registry.config().meterFilter(new MeterFilter() {
			@Override
			public Meter.Id map(Meter.Id id) {
				throw new IllegalStateException("metrics backend broken");
			}
		});

		ExecutionResult result = execute("{ products { name } }", "web");

		assertThat(result.<Map<String, List<?>>>getData().get("products")).hasSize(3);
	}

	private double usage(String field, String client) {
		Counter counter = registry.find(DeprecatedUsageMetrics.METRIC).tag("field", field).tag("client", client).counter();
		return counter == null ? 0 : counter.count();
	}

	private ExecutionResult execute(String query, String client) {
		return execute(ExecutionInput.newExecutionInput(query), client);
	}

	private ExecutionResult execute(ExecutionInput.Builder input, String client) {
		ExecutionResult result = graphQl(metrics).execute(fromClient(input, client));
		assertThat(result.getErrors()).isEmpty();
		return result;
	}

	private static ExecutionInput fromClient(ExecutionInput.Builder input, String client) {
		return input.graphQLContext(Map.of(ClientName.class, new ClientName(client))).build();
	}

	/** Through {@link ClientName.ClientNameInterceptor}, as a request to /graphql goes. */
	private void executeOverHttp(HttpHeaders headers) {
		WebGraphQlRequest request = new WebGraphQlRequest(URI.create("http://localhost/graphql"), headers,
				new LinkedMultiValueMap<>(), Map.of(), Map.of("query", "{ products { name } }"), "1", Locale.ROOT);
		new ClientName.ClientNameInterceptor().intercept(request, intercepted -> {
			ExecutionInput input = intercepted.toExecutionInput();
			ExecutionResult result = graphQl(metrics).execute(input);
			return Mono.just(new WebGraphQlResponse(new DefaultExecutionGraphQlResponse(input, result)));
		}).block();
	}

	private static HttpHeaders headers(String clientName) {
		HttpHeaders headers = new HttpHeaders();
		headers.set(ClientName.HEADER, clientName);
		return headers;
	}

	private static GraphQL graphQl(Instrumentation instrumentation) {
		return GraphQL.newGraphQL(SCHEMA).instrumentation(instrumentation).build();
	}
}
