package dev.shelf.app.graphql;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.shelf.billing.ApiThrottle;
import dev.shelf.catalog.ShopId;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQLContext;
import graphql.GraphqlErrorBuilder;
import graphql.execution.AbortExecutionException;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.language.OperationDefinition;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.graphql.server.WebGraphQlInterceptor;
import org.springframework.http.HttpHeaders;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import reactor.core.publisher.Mono;

/**
 * Query cost and per-shop throttling, as Shopify's Admin API does it. Before execution (after validation): the
 * requested cost ({@link QueryCost}) is computed; above {@code maxQueryCost} the query is refused with
 * {@code MAX_COST_EXCEEDED}; otherwise the shop's leaky bucket ({@link ApiThrottle}, shared by all instances through
 * PostgreSQL) must hold that many points, or the request is refused with {@code THROTTLED} and the seconds to wait.
 * After execution the actual cost is known and the difference is given back ({@link ApiThrottle#giveBack}); every
 * response carries {@code extensions.cost}.
 * <p>
 * Operators have no shop and no bucket: their queries are costed and limited, not throttled.
 */
final class CostGuard {

	static final String MAX_COST_EXCEEDED = "MAX_COST_EXCEEDED";
	static final String THROTTLED = "THROTTLED";

	/** Key, in the GraphQL context, of the {@link Charge} of the request. */
	private static final String CHARGE = CostGuard.class.getName() + ".charge";

	private CostGuard() {
	}

	/**
	 * @param enabled whether queries are costed, limited and throttled at all when the application starts (off only
	 *     to measure what the guard costs)
	 * @param switchable whether operators may turn the guard off and on while the application runs, through the
	 *     {@code graphqlcost} actuator endpoint ({@link Switch}); off by default: bench/api-guard.sh uses it to compare
	 *     with and without the guard inside one JVM
	 * @param maxQueryCost the most a single query may request
	 * @param throttle whether shops' buckets are enforced (off: costs are still computed and reported)
	 * @param bucketSize points a shop's bucket holds when full
	 * @param restoreRate points per second a bucket refills
	 * @param plans other bucket sizes and restore rates by billing plan handle, for shops subscribed to that plan
	 * @param lease how long an instance may admit a shop's requests from points leased from its bucket (0: every
	 *     request is admitted by a statement)
	 */
	@ConfigurationProperties("shelf.graphql.cost")
	record Limits(@DefaultValue("true") boolean enabled, @DefaultValue("false") boolean switchable,
			@DefaultValue("1000") long maxQueryCost, @DefaultValue("true") boolean throttle,
			@DefaultValue("1000") long bucketSize, @DefaultValue("100") long restoreRate,
			Map<String, PlanBucket> plans, @DefaultValue("1s") Duration lease) {

		record PlanBucket(long bucketSize, long restoreRate) {
		}

		ApiThrottle.Limits buckets() {
			Map<String, ApiThrottle.Bucket> byPlan = new LinkedHashMap<>();
			if (plans != null) {
				plans.forEach((handle, plan) -> byPlan.put(handle, new ApiThrottle.Bucket(plan.bucketSize(), plan.restoreRate())));
			}
			return new ApiThrottle.Limits(new ApiThrottle.Bucket(bucketSize, restoreRate), byPlan, lease);
		}
	}

	/**
	 * Whether the guard runs, read by every request: {@code enabled} when the application starts, changed only through
	 * {@link SwitchEndpoint} where {@code switchable}.
	 */
	static final class Switch {

		private volatile boolean on;

		Switch(Limits limits) {
			this.on = limits.enabled();
		}

		boolean on() {
			return on;
		}

		void set(boolean on) {
			this.on = on;
		}
	}

	/**
	 * {@code /actuator/graphqlcost} (operators only): reads and sets {@link Switch}, so one JVM can be measured with and
	 * without the guard in alternating rounds; two JVMs differ from each other by more than the guard costs.
	 */
	@Endpoint(id = "graphqlcost")
	static final class SwitchEndpoint {

		private final Switch guard;

		SwitchEndpoint(Switch guard) {
			this.guard = guard;
		}

		@ReadOperation
		Map<String, Boolean> state() {
			return Map.of("enabled", guard.on());
		}

		@WriteOperation
		Map<String, Boolean> enable(boolean enabled) {
			guard.set(enabled);
			return state();
		}
	}

	/** What a request was charged, filled in as it goes. */
	private static final class Charge {

		final long requested;
		final QueryCost.ActualCost actualCost;
		ApiThrottle.Admission admission;
		double secondsToWait;

		Charge(long requested, QueryCost.ActualCost actualCost) {
			this.requested = requested;
			this.actualCost = actualCost;
		}
	}

	/** Computes, limits and admits before execution. */
	static final class Admission extends SimplePerformantInstrumentation {

		private final Limits limits;
		private final Switch guard;
		private final ApiThrottle.Limits buckets;
		private final ApiThrottle throttle;
		/**
		 * The same operation costs the same, and normalizing its document is most of what costing it takes: this keeps
		 * it to once per distinct operation (a frontend sends a handful of them).
		 */
		private final Cache<OperationKey, QueryCost.Costing> costs = Caffeine.newBuilder().maximumSize(10_000).build();

		Admission(Limits limits, Switch guard, ApiThrottle throttle) {
			this.limits = limits;
			this.guard = guard;
			this.buckets = limits.buckets();
			this.throttle = throttle;
		}

		@Override
		public InstrumentationContext<ExecutionResult> beginExecuteOperation(
				InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
			if (!guard.on()) {
				return super.beginExecuteOperation(parameters, state);
			}
			ExecutionContext execution = parameters.getExecutionContext();
			ExecutionInput input = execution.getExecutionInput();
			Function<OperationKey, QueryCost.Costing> normalize = operation -> new QueryCost(execution.getGraphQLSchema())
					.costing(execution.getNormalizedQueryTree().get());
			// Not mutations: their variables are inputs that differ every time, and would only fill the cache.
			OperationKey operation = OperationKey.of(input);
			boolean mutation = execution.getOperationDefinition().getOperation() == OperationDefinition.Operation.MUTATION;
			QueryCost.Costing costing = mutation ? normalize.apply(operation) : costs.get(operation, normalize);
			Charge charge = new Charge(costing.requested(), costing.actual());
			GraphQLContext context = execution.getGraphQLContext();
			context.put(CHARGE, charge);
			if (charge.requested > limits.maxQueryCost()) {
				throw abort(MAX_COST_EXCEEDED, "The query's cost is " + charge.requested + ", above the maximum of "
						+ limits.maxQueryCost() + " for a single query: ask for fewer items (first/last)",
						Map.of("cost", charge.requested, "maxCost", limits.maxQueryCost()));
			}
			ShopId shop = context.get(ShopId.class);
			if (limits.throttle() && shop != null) {
				charge.admission = throttle.admit(shop, charge.requested, buckets);
				if (!charge.admission.admitted()) {
					charge.secondsToWait = charge.admission.secondsUntil(charge.requested);
					throw abort(THROTTLED, "Throttled: the query costs " + charge.requested + " and the shop's bucket holds "
							+ round(charge.admission.available()) + "; retry in " + round(charge.secondsToWait) + " s",
							Map.of("cost", charge.requested, "retryAfterSeconds", round(charge.secondsToWait)));
				}
			}
			return super.beginExecuteOperation(parameters, state);
		}

		private static AbortExecutionException abort(String code, String message, Map<String, Object> details) {
			Map<String, Object> extensions = new LinkedHashMap<>();
			extensions.put("code", code);
			extensions.putAll(details);
			return new AbortExecutionException(List.of(GraphqlErrorBuilder.newError().message(message)
					.extensions(extensions).build()));
		}
	}

	/** After execution: the actual cost, the refund, and {@code extensions.cost} on the response. */
	static final class Report implements WebGraphQlInterceptor {

		private final Limits limits;
		private final ApiThrottle throttle;

		Report(Limits limits, ApiThrottle throttle) {
			this.limits = limits;
			this.throttle = throttle;
		}

		@Override
		public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
			return chain.next(request).map(response -> {
				Charge charge = response.getExecutionInput().getGraphQLContext().get(CHARGE);
				if (charge == null) {
					return response; // refused before execution (parse, validation, size limits)
				}
				Map<String, Object> data = response.getExecutionResult().getData();
				boolean ran = charge.admission == null || charge.admission.admitted();
				long actual = ran && charge.requested <= limits.maxQueryCost() ? charge.actualCost.of(data) : 0;
				Map<String, Object> cost = new LinkedHashMap<>();
				cost.put("requestedQueryCost", charge.requested);
				cost.put("actualQueryCost", actual);
				if (charge.admission != null && !charge.admission.admitted()) {
					// Read by GraphQlHttpStatus, which answers a throttled request with 429.
					response.getResponseHeaders().set(HttpHeaders.RETRY_AFTER,
							String.valueOf((long) Math.ceil(charge.secondsToWait)));
				}
				if (charge.admission != null) {
					double refund = charge.admission.admitted() ? Math.max(0, charge.requested - actual) : 0;
					ShopId shop = response.getExecutionInput().getGraphQLContext().get(ShopId.class);
					throttle.giveBack(shop, refund);
					ApiThrottle.Bucket bucket = charge.admission.bucket();
					cost.put("throttleStatus", Map.of("maximumAvailable", bucket.size(),
							"currentlyAvailable", round(Math.min(bucket.size(), charge.admission.available() + refund)),
							"restoreRate", bucket.restoreRate()));
				}
				Map<Object, Object> extensions = new LinkedHashMap<>();
				if (response.getExtensions() != null) {
					extensions.putAll(response.getExtensions());
				}
				extensions.put("cost", cost);
				return response.transform(builder -> builder.extensions(extensions));
			});
		}
	}

	private static double round(double points) {
		return BigDecimal.valueOf(points).setScale(1, RoundingMode.HALF_EVEN).doubleValue();
	}
}
