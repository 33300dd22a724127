package dev.shelf.billing.internal;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.shelf.billing.Plan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Shopify's Admin API over HTTP, for billing: token exchange, {@code appSubscriptionCreate},
 * {@code appUsageRecordCreate} and the usage records of a subscription. Every call has explicit connect and read
 * timeouts, and its end is classified as a {@link ShopifyOutcome}: the callers decide what each means for a charge.
 * Money goes out as decimal strings and is read from its text, never through a double.
 */
@Component
class ShopifyAdminClient {

	private static final Logger log = LoggerFactory.getLogger(ShopifyAdminClient.class);

	private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(2);

	private static final String CREATE_SUBSCRIPTION = """
			mutation appSubscriptionCreate($name: String!, $lineItems: [AppSubscriptionLineItemInput!]!, $returnUrl: URL!, $test: Boolean) {
			  appSubscriptionCreate(name: $name, lineItems: $lineItems, returnUrl: $returnUrl, test: $test) {
			    appSubscription { id lineItems { id plan { pricingDetails { __typename } } } }
			    confirmationUrl
			    userErrors { field message }
			  }
			}""";

	private static final String CREATE_USAGE_RECORD = """
			mutation appUsageRecordCreate($subscriptionLineItemId: ID!, $price: MoneyInput!, $description: String!, $idempotencyKey: String) {
			  appUsageRecordCreate(subscriptionLineItemId: $subscriptionLineItemId, price: $price, description: $description, idempotencyKey: $idempotencyKey) {
			    appUsageRecord { id idempotencyKey }
			    userErrors { field message }
			  }
			}""";

	private static final String USAGE_RECORDS = """
			query usageRecords($subscriptionId: ID!, $after: String) {
			  node(id: $subscriptionId) {
			    ... on AppSubscription {
			      lineItems {
			        plan { pricingDetails { __typename } }
			        usageRecords(first: 250, after: $after, sortKey: CREATED_AT, reverse: true) {
			          edges { node { id idempotencyKey price { amount currencyCode } createdAt } }
			          pageInfo { hasNextPage endCursor }
			        }
			      }
			    }
			  }
			}""";

	/** Pages of 250 usage records read at most per search: records older than the searched charges stop it sooner. */
	private static final int MAX_RECORD_PAGES = 40;

	private final RestClient http;
	private final JsonMapper json;
	private final BillingProperties.Shopify shopify;

	ShopifyAdminClient(BillingProperties properties, JsonMapper json) {
		this.shopify = properties.shopify();
		this.json = json;
		HttpClient client = HttpClient.newBuilder().connectTimeout(shopify.connectTimeout())
				.followRedirects(HttpClient.Redirect.NEVER).build();
		JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(client);
		requests.setReadTimeout(shopify.readTimeout());
		this.http = RestClient.builder().requestFactory(requests).build();
	}

	record AccessToken(String token, String scope) {
	}

	record CreatedSubscription(String subscriptionId, String usageLineItemId, String confirmationUrl) {
	}

	/** A usage record Shopify holds, as far as reconciliation needs it. */
	record UsageRecord(String id, String idempotencyKey, BigDecimal amount, String currencyCode, Instant createdAt) {
	}

	/** Token exchange: the session token of a request for the shop's offline access token. */
	ShopifyOutcome<AccessToken> exchangeToken(String shop, String sessionToken, String clientId, String clientSecret) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("client_id", clientId);
		body.put("client_secret", clientSecret);
		body.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
		body.put("subject_token", sessionToken);
		body.put("subject_token_type", "urn:ietf:params:oauth:token-type:id_token");
		body.put("requested_token_type", "urn:shopify:params:oauth:token-type:offline-access-token");
		ShopifyOutcome<JsonNode> answer = post(shop, "/admin/oauth/access_token", null, body);
		if (!(answer instanceof ShopifyOutcome.Ok<JsonNode> ok)) {
			return answer.failure();
		}
		JsonNode token = ok.value().path("access_token");
		if (!token.isString() || token.asString().isBlank()) {
			return new ShopifyOutcome.Rejected<>("token exchange answered without an access_token");
		}
		return new ShopifyOutcome.Ok<>(new AccessToken(token.asString(), ok.value().path("scope").asString(null)));
	}

	ShopifyOutcome<CreatedSubscription> createSubscription(String shop, String accessToken, Plan plan, String returnUrl,
			boolean test) {
		Map<String, Object> recurring = Map.of("plan", Map.of("appRecurringPricingDetails", Map.of(
				"price", money(plan.recurringPrice(), plan.currencyCode()), "interval", "EVERY_30_DAYS")));
		Map<String, Object> usage = Map.of("plan", Map.of("appUsagePricingDetails", Map.of(
				"terms", plan.usageTerms(), "cappedAmount", money(plan.cappedAmount(), plan.currencyCode()))));
		Map<String, Object> variables = new LinkedHashMap<>();
		variables.put("name", plan.name());
		variables.put("lineItems", List.of(recurring, usage));
		variables.put("returnUrl", returnUrl);
		variables.put("test", test);
		ShopifyOutcome<JsonNode> answer = mutation(shop, accessToken, "appSubscriptionCreate", CREATE_SUBSCRIPTION,
				variables);
		if (!(answer instanceof ShopifyOutcome.Ok<JsonNode> ok)) {
			return answer.failure();
		}
		JsonNode payload = ok.value();
		String usageLineItem = usageLineItem(payload.path("appSubscription")).path("id").asString(null);
		String id = payload.path("appSubscription").path("id").asString(null);
		String confirmationUrl = payload.path("confirmationUrl").asString(null);
		if (id == null || usageLineItem == null || confirmationUrl == null) {
			return new ShopifyOutcome.NoAnswer<>("appSubscriptionCreate answered without subscription id, usage line "
					+ "item or confirmation URL: " + payload);
		}
		return new ShopifyOutcome.Ok<>(new CreatedSubscription(id, usageLineItem, confirmationUrl));
	}

	/**
	 * Creates a usage record, or returns the one an earlier call with the same idempotency key created: Shopify
	 * answers a resend exactly like the first call, and charges once.
	 *
	 * @return the usage record's id
	 */
	ShopifyOutcome<String> createUsageRecord(String shop, String accessToken, String subscriptionLineItemId,
			BigDecimal amount, String currencyCode, String description, String idempotencyKey) {
		Map<String, Object> variables = new LinkedHashMap<>();
		variables.put("subscriptionLineItemId", subscriptionLineItemId);
		variables.put("price", money(amount, currencyCode));
		variables.put("description", description);
		variables.put("idempotencyKey", idempotencyKey);
		ShopifyOutcome<JsonNode> answer = mutation(shop, accessToken, "appUsageRecordCreate", CREATE_USAGE_RECORD,
				variables);
		if (!(answer instanceof ShopifyOutcome.Ok<JsonNode> ok)) {
			return answer.failure();
		}
		JsonNode payload = ok.value();
		String id = payload.path("appUsageRecord").path("id").asString(null);
		return id == null ? new ShopifyOutcome.NoAnswer<>("appUsageRecordCreate answered without a record: " + payload)
				: new ShopifyOutcome.Ok<>(id);
	}

	/**
	 * The subscription's usage records with one of the idempotency keys, newest first, reading pages until every key
	 * is found or the records are older than {@code notBefore}.
	 *
	 * @return the records found, by idempotency key
	 */
	ShopifyOutcome<Map<String, UsageRecord>> findUsageRecords(String shop, String accessToken, String subscriptionId,
			Set<String> idempotencyKeys, Instant notBefore) {
		Map<String, UsageRecord> found = new LinkedHashMap<>();
		String after = null;
		for (int page = 0; page < MAX_RECORD_PAGES; page++) {
			Map<String, Object> variables = new LinkedHashMap<>();
			variables.put("subscriptionId", subscriptionId);
			variables.put("after", after);
			ShopifyOutcome<JsonNode> answer = graphQl(shop, accessToken, "usageRecords", USAGE_RECORDS, variables);
			if (!(answer instanceof ShopifyOutcome.Ok<JsonNode> ok)) {
				return answer.failure();
			}
			JsonNode node = ok.value().path("node");
			if (node.isNull() || node.isMissingNode()) {
				return new ShopifyOutcome.Rejected<>("Shopify knows no subscription " + subscriptionId);
			}
			JsonNode records = usageLineItem(node).path("usageRecords");
			if (records.isMissingNode()) {
				return new ShopifyOutcome.Rejected<>("subscription " + subscriptionId + " has no usage line item");
			}
			boolean older = false;
			for (JsonNode edge : records.path("edges")) {
				UsageRecord record = usageRecord(edge.path("node"));
				if (record.idempotencyKey() != null && idempotencyKeys.contains(record.idempotencyKey())) {
					found.put(record.idempotencyKey(), record);
				}
				older |= record.createdAt().isBefore(notBefore);
			}
			JsonNode pageInfo = records.path("pageInfo");
			if (found.size() == idempotencyKeys.size() || older || !pageInfo.path("hasNextPage").asBoolean(false)) {
				return new ShopifyOutcome.Ok<>(found);
			}
			after = pageInfo.path("endCursor").asString(null);
		}
		log.warn("Usage records of {} searched for {} pages without reaching {}; treating the rest as not found",
				subscriptionId, MAX_RECORD_PAGES, notBefore);
		return new ShopifyOutcome.Ok<>(found);
	}

	private ShopifyOutcome<JsonNode> graphQl(String shop, String accessToken, String operationName, String query,
			Map<String, Object> variables) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("query", query);
		body.put("operationName", operationName);
		body.put("variables", variables);
		ShopifyOutcome<JsonNode> answer = post(shop, "/admin/api/" + shopify.apiVersion() + "/graphql.json", accessToken,
				body);
		if (!(answer instanceof ShopifyOutcome.Ok<JsonNode> ok)) {
			return answer;
		}
		JsonNode errors = ok.value().path("errors");
		if (errors.isArray() && !errors.isEmpty()) {
			List<String> codes = new ArrayList<>();
			errors.forEach(error -> codes.add(error.path("extensions").path("code").asString("")));
			String messages = errors.toString();
			if (codes.contains("THROTTLED")) {
				return new ShopifyOutcome.NotDone<>("THROTTLED: " + messages, DEFAULT_RETRY_AFTER);
			}
			if (codes.contains("INTERNAL_SERVER_ERROR")) {
				return new ShopifyOutcome.NoAnswer<>("Shopify internal error: " + messages);
			}
			return new ShopifyOutcome.Rejected<>("GraphQL errors: " + messages);
		}
		JsonNode data = ok.value().path("data");
		return data.isObject() ? new ShopifyOutcome.Ok<>(data)
				: new ShopifyOutcome.NoAnswer<>("answer without data: " + ok.value());
	}

	/** One POST of JSON; the status and the transport decide what the outcome is. */
	private ShopifyOutcome<JsonNode> post(String shop, String path, String accessToken, Map<String, Object> body) {
		try {
			return http.post().uri(shopify.shopUri(shop, path))
					.contentType(MediaType.APPLICATION_JSON).accept(MediaType.APPLICATION_JSON)
					.headers(headers -> {
						if (accessToken != null) {
							headers.set("X-Shopify-Access-Token", accessToken);
						}
					})
					.body(json.writeValueAsString(body))
					.exchange((request, response) -> {
						int status = response.getStatusCode().value();
						String text = new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8);
						if (status == 429) {
							return new ShopifyOutcome.NotDone<>("HTTP 429 (throttled): " + abbreviate(text),
									retryAfter(response.getHeaders().getFirst("Retry-After")));
						}
						if (status >= 500) {
							return new ShopifyOutcome.NoAnswer<>("HTTP " + status + ": " + abbreviate(text));
						}
						if (status >= 300) {
							return new ShopifyOutcome.Rejected<>("HTTP " + status + ": " + abbreviate(text));
						}
						try {
							return new ShopifyOutcome.Ok<>(json.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
									.readTree(text));
						}
						catch (JacksonException e) {
							return new ShopifyOutcome.NoAnswer<>("HTTP " + status + " with a body that is not JSON: "
									+ abbreviate(text));
						}
					});
		}
		catch (ResourceAccessException e) {
			return transportFailure(e);
		}
	}

	/**
	 * A request that never reached Shopify (refused, unknown host, connect timeout) was certainly not acted on;
	 * anything else (read timeout, reset) may have been.
	 */
	private static <T> ShopifyOutcome<T> transportFailure(ResourceAccessException e) {
		for (Throwable cause = e; cause != null; cause = cause.getCause()) {
			if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException
					|| cause instanceof UnknownHostException) {
				return new ShopifyOutcome.NotDone<>("not sent: " + cause, DEFAULT_RETRY_AFTER);
			}
		}
		Throwable root = e.getCause() instanceof IOException ? e.getCause() : e;
		return new ShopifyOutcome.NoAnswer<>("no answer: " + root);
	}

	private static Duration retryAfter(String header) {
		try {
			return header == null ? DEFAULT_RETRY_AFTER : Duration.ofMillis((long) (Double.parseDouble(header) * 1000));
		}
		catch (NumberFormatException e) {
			return DEFAULT_RETRY_AFTER;
		}
	}

	private static Map<String, String> money(BigDecimal amount, String currencyCode) {
		return Map.of("amount", amount.toPlainString(), "currencyCode", currencyCode);
	}

	/** A mutation's payload; its {@code userErrors}, if any, as a refusal. */
	private ShopifyOutcome<JsonNode> mutation(String shop, String accessToken, String name, String query,
			Map<String, Object> variables) {
		ShopifyOutcome<JsonNode> answer = graphQl(shop, accessToken, name, query, variables);
		if (!(answer instanceof ShopifyOutcome.Ok<JsonNode> ok)) {
			return answer;
		}
		JsonNode payload = ok.value().path(name);
		JsonNode errors = payload.path("userErrors");
		return errors.isArray() && !errors.isEmpty() ? new ShopifyOutcome.Rejected<>("userErrors: " + errors)
				: new ShopifyOutcome.Ok<>(payload);
	}

	/** The usage line item of a subscription (the one priced {@code AppUsagePricing}); missing if it has none. */
	private static JsonNode usageLineItem(JsonNode subscription) {
		for (JsonNode lineItem : subscription.path("lineItems")) {
			if ("AppUsagePricing".equals(lineItem.path("plan").path("pricingDetails").path("__typename").asString(null))) {
				return lineItem;
			}
		}
		return tools.jackson.databind.node.MissingNode.getInstance();
	}

	private static UsageRecord usageRecord(JsonNode node) {
		JsonNode price = node.path("price");
		return new UsageRecord(node.path("id").asString(null), node.path("idempotencyKey").asString(null),
				new BigDecimal(price.path("amount").asString("0")), price.path("currencyCode").asString(null),
				OffsetDateTime.parse(node.path("createdAt").asString()).toInstant());
	}

	private static String abbreviate(String text) {
		return text.length() <= 500 ? text : text.substring(0, 500) + "…";
	}
}
