package dev.shelf.testing.shopify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An HTTP-level fake of the parts of Shopify billing uses, speaking Shopify's wire format: token exchange
 * ({@code POST /admin/oauth/access_token}) and the Admin GraphQL API ({@code appSubscriptionCreate},
 * {@code appUsageRecordCreate}, a subscription's usage records through {@code node(id:)}). It really stores what it
 * is asked to record, per shop, so a test can count usage records; like Shopify it answers a resend with a known
 * idempotency key with the record it made the first time, checks the access token, and refuses a record that would
 * take the usage line over its capped amount.
 * <p>
 * Faults are queued per shop with {@link ShopState#failNext}: user errors, {@code THROTTLED}, HTTP 429, HTTP 502, and
 * two timeouts — the answer held back until the client gives up, after recording the usage record or before.
 * <p>
 * One instance per JVM on a random local port ({@link #instance()}); every Spring test context points Shelf at it
 * ({@link FakeShopifyContextCustomizerFactory}). Shops are addressed by path: {@code http://127.0.0.1:<port>/<shop>}.
 */
public final class FakeShopify {

	/** What the next calls of a shop do instead of answering normally, in order. */
	public enum Fault {
		/** {@code appUsageRecordCreate} / {@code appSubscriptionCreate} answer a user error; nothing is recorded. */
		USER_ERRORS,
		/** HTTP 200 with a top-level {@code THROTTLED} error, as Shopify's cost-based limit answers. */
		THROTTLED,
		/** HTTP 429 with {@code Retry-After}. */
		HTTP_429,
		/** HTTP 502 after recording: a gateway lost the answer. */
		BAD_GATEWAY_AFTER_RECORDING,
		/** Records the usage record, then holds the answer back until the client has given up. */
		TIMEOUT_AFTER_RECORDING,
		/** Holds the answer back until the client has given up, and records nothing. */
		TIMEOUT_BEFORE_RECORDING
	}

	private static final JsonMapper JSON = JsonMapper.builder().build();
	private static final Duration LONGEST_HOLD = Duration.ofSeconds(30);
	private static FakeShopify instance;

	private final HttpServer server;
	private final Map<String, ShopState> shops = new ConcurrentHashMap<>();
	private final AtomicLong ids = new AtomicLong(1000);

	private FakeShopify() {
		try {
			server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		server.setExecutor(Executors.newCachedThreadPool(runnable -> {
			Thread thread = new Thread(runnable, "fake-shopify");
			thread.setDaemon(true);
			return thread;
		}));
		server.createContext("/", this::handle);
		server.start();
	}

	public static synchronized FakeShopify instance() {
		if (instance == null) {
			instance = new FakeShopify();
		}
		return instance;
	}

	/** What Shelf's {@code shelf.billing.shopify.base-url} is set to. */
	public String baseUrl() {
		return "http://127.0.0.1:" + server.getAddress().getPort() + "/{shop}";
	}

	public ShopState shop(String domain) {
		return shops.computeIfAbsent(domain, ShopState::new);
	}

	/** One shop's data at the fake Shopify, and the faults queued for it. */
	public final class ShopState {

		private final String domain;
		private final Deque<Fault> faults = new ArrayDeque<>();
		private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
		private final Map<String, UsageRecord> recordsByKey = new LinkedHashMap<>();
		private final List<UsageRecord> records = new ArrayList<>();
		private final AtomicInteger usageRecordCalls = new AtomicInteger();
		private final AtomicInteger tokenExchanges = new AtomicInteger();
		private final CountDownLatch held = new CountDownLatch(1);
		private volatile String accessToken;
		private volatile String exchangedWithClientId;
		private volatile int pageSize = 250;

		private ShopState(String domain) {
			this.domain = domain;
		}

		public synchronized ShopState failNext(Fault... next) {
			faults.addAll(List.of(next));
			return this;
		}

		/** Serves usage records in pages of this size (Shelf asks for 250), to make it walk pages. */
		public ShopState pageSize(int size) {
			this.pageSize = size;
			return this;
		}

		/** Lets answers held back by a timeout fault go (to a client that has long gone). */
		public void releaseHeld() {
			held.countDown();
		}

		/** An access token for the shop, as if a token exchange had happened. */
		public synchronized String issueAccessToken() {
			accessToken = "shpat_" + UUID.randomUUID().toString().replace("-", "");
			return accessToken;
		}

		public synchronized List<UsageRecord> usageRecords() {
			return List.copyOf(records);
		}

		public int usageRecordCalls() {
			return usageRecordCalls.get();
		}

		public int tokenExchanges() {
			return tokenExchanges.get();
		}

		public String exchangedWithClientId() {
			return exchangedWithClientId;
		}

		public String accessToken() {
			return accessToken;
		}

		public synchronized List<Subscription> subscriptions() {
			return List.copyOf(subscriptions.values());
		}

		private synchronized Fault nextFault() {
			return faults.poll();
		}
	}

	public record Subscription(String id, String name, String recurringLineItemId, String usageLineItemId,
			BigDecimal cappedAmount, String currencyCode, boolean test, String returnUrl) {
	}

	public record UsageRecord(String id, String subscriptionId, String idempotencyKey, BigDecimal amount,
			String currencyCode, String description, Instant createdAt) {
	}

	// ---- HTTP ----

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			String[] path = exchange.getRequestURI().getPath().split("/", 3); // "", shop, rest
			if (!exchange.getRequestMethod().equals("POST") || path.length < 3) {
				respond(exchange, 404, "{\"errors\":\"Not Found\"}");
				return;
			}
			ShopState shop = shop(path[1]);
			JsonNode body = JSON.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
					.readTree(exchange.getRequestBody().readAllBytes());
			if (path[2].equals("admin/oauth/access_token")) {
				tokenExchange(exchange, shop, body);
			}
			else if (path[2].matches("admin/api/[0-9]{4}-[0-9]{2}/graphql\\.json")) {
				graphQl(exchange, shop, body);
			}
			else {
				respond(exchange, 404, "{\"errors\":\"Not Found\"}");
			}
		}
		catch (RuntimeException e) {
			respond(exchange, 500, "{\"errors\":\"fake Shopify failed: " + e.getMessage().replace('"', '\'') + "\"}");
		}
	}

	private void tokenExchange(HttpExchange exchange, ShopState shop, JsonNode body) throws IOException {
		boolean valid = "urn:ietf:params:oauth:grant-type:token-exchange".equals(body.path("grant_type").asString(null))
				&& "urn:ietf:params:oauth:token-type:id_token".equals(body.path("subject_token_type").asString(null))
				&& "urn:shopify:params:oauth:token-type:offline-access-token".equals(
						body.path("requested_token_type").asString(null))
				&& !body.path("client_id").asString("").isBlank() && !body.path("client_secret").asString("").isBlank()
				&& body.path("subject_token").asString("").split("\\.").length == 3;
		if (!valid) {
			respond(exchange, 400, "{\"error\":\"invalid_subject_token\",\"error_description\":\"rejected by fake\"}");
			return;
		}
		shop.tokenExchanges.incrementAndGet();
		shop.exchangedWithClientId = body.path("client_id").asString();
		String token = shop.issueAccessToken();
		respond(exchange, 200, JSON.writeValueAsString(Map.of("access_token", token,
				"scope", "write_products,read_orders")));
	}

	private void graphQl(HttpExchange exchange, ShopState shop, JsonNode body) throws IOException {
		String token = exchange.getRequestHeaders().getFirst("X-Shopify-Access-Token");
		if (token == null || !token.equals(shop.accessToken)) {
			respond(exchange, 401, "{\"errors\":\"[API] Invalid API key or access token (unrecognized login or wrong "
					+ "password)\"}");
			return;
		}
		String operation = body.path("operationName").asString("");
		JsonNode variables = body.path("variables");
		boolean mutation = !operation.equals("usageRecords");
		Fault fault = mutation ? shop.nextFault() : null;
		if (operation.equals("appUsageRecordCreate")) {
			shop.usageRecordCalls.incrementAndGet();
		}
		if (fault == Fault.THROTTLED) {
			respond(exchange, 200, """
					{"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED",\
					"documentation":"https://shopify.dev/api/usage/rate-limits"}}],\
					"extensions":{"cost":{"requestedQueryCost":10,"actualQueryCost":null,\
					"throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":4,"restoreRate":100.0}}}}""");
			return;
		}
		if (fault == Fault.HTTP_429) {
			exchange.getResponseHeaders().set("Retry-After", "0.2");
			respond(exchange, 429, "{\"errors\":\"Exceeded 2 calls per second for api client. Reduce request rates "
					+ "to resume uninterrupted service.\"}");
			return;
		}
		if (fault == Fault.TIMEOUT_BEFORE_RECORDING) {
			hold(shop);
			return;
		}
		String answer;
		switch (operation) {
			case "appSubscriptionCreate":
				answer = fault == Fault.USER_ERRORS ? userError(operation, List.of("appSubscription", "confirmationUrl"),
						"returnUrl", "Return url is invalid") : createSubscription(shop, variables);
				break;
			case "appUsageRecordCreate":
				answer = fault == Fault.USER_ERRORS ? usageRecordError("subscriptionLineItemId",
						"Subscription line item not found") : createUsageRecord(shop, variables);
				break;
			case "usageRecords":
				answer = usageRecords(shop, variables);
				break;
			default:
				answer = "{\"errors\":[{\"message\":\"Unknown operation " + operation + "\"}]}";
		}
		if (fault == Fault.TIMEOUT_AFTER_RECORDING) {
			hold(shop);
			return;
		}
		if (fault == Fault.BAD_GATEWAY_AFTER_RECORDING) {
			respond(exchange, 502, "<html><body>502 Bad Gateway</body></html>");
			return;
		}
		respond(exchange, 200, answer);
	}

	private static void hold(ShopState shop) {
		try {
			shop.held.await(LONGEST_HOLD.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

	private String createSubscription(ShopState shop, JsonNode variables) {
		long id = ids.incrementAndGet();
		String gid = "gid://shopify/AppSubscription/" + id;
		BigDecimal cap = null;
		String currency = null;
		for (JsonNode lineItem : variables.path("lineItems")) {
			JsonNode usage = lineItem.path("plan").path("appUsagePricingDetails");
			if (usage.isObject()) {
				cap = new BigDecimal(usage.path("cappedAmount").path("amount").asString());
				currency = usage.path("cappedAmount").path("currencyCode").asString();
			}
		}
		Subscription subscription = new Subscription(gid, variables.path("name").asString(),
				"gid://shopify/AppSubscriptionLineItem/" + id + "?v=1&index=0",
				"gid://shopify/AppSubscriptionLineItem/" + id + "?v=1&index=1", cap, currency,
				variables.path("test").asBoolean(false), variables.path("returnUrl").asString());
		synchronized (shop) {
			shop.subscriptions.put(gid, subscription);
		}
		return JSON.writeValueAsString(Map.of("data", Map.of("appSubscriptionCreate", Map.of(
				"appSubscription", Map.of("id", gid, "lineItems", List.of(
						Map.of("id", subscription.recurringLineItemId(),
								"plan", Map.of("pricingDetails", Map.of("__typename", "AppRecurringPricing"))),
						Map.of("id", subscription.usageLineItemId(),
								"plan", Map.of("pricingDetails", Map.of("__typename", "AppUsagePricing"))))),
				"confirmationUrl", "https://" + shop.domain + "/admin/charges/shelf/" + id
						+ "/RecurringApplicationCharge/confirm_recurring_application_charge?signature=fake",
				"userErrors", List.of()))));
	}

	private String createUsageRecord(ShopState shop, JsonNode variables) {
		String lineItem = variables.path("subscriptionLineItemId").asString();
		String key = variables.path("idempotencyKey").asString(null);
		BigDecimal amount = new BigDecimal(variables.path("price").path("amount").asString());
		String currency = variables.path("price").path("currencyCode").asString();
		UsageRecord record;
		synchronized (shop) {
			Subscription subscription = shop.subscriptions.values().stream()
					.filter(s -> s.usageLineItemId().equals(lineItem)).findFirst().orElse(null);
			if (subscription == null) {
				return usageRecordError("subscriptionLineItemId", "Subscription line item not found");
			}
			record = key == null ? null : shop.recordsByKey.get(key);
			if (record == null) {
				BigDecimal used = shop.records.stream().filter(r -> r.subscriptionId().equals(subscription.id()))
						.map(UsageRecord::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
				if (used.add(amount).compareTo(subscription.cappedAmount()) > 0) {
					return usageRecordError("price", "Total price exceeds balance remaining");
				}
				record = new UsageRecord("gid://shopify/AppUsageRecord/" + ids.incrementAndGet(), subscription.id(), key,
						amount, currency, variables.path("description").asString(),
						Instant.now().truncatedTo(ChronoUnit.SECONDS));
				shop.records.add(record);
				if (key != null) {
					shop.recordsByKey.put(key, record);
				}
			}
		}
		Map<String, Object> created = new LinkedHashMap<>();
		created.put("id", record.id());
		created.put("idempotencyKey", record.idempotencyKey());
		return JSON.writeValueAsString(Map.of("data", Map.of("appUsageRecordCreate", Map.of(
				"appUsageRecord", created, "userErrors", List.of()))));
	}

	private static String usageRecordError(String field, String message) {
		return userError("appUsageRecordCreate", List.of("appUsageRecord"), field, message);
	}

	/** A mutation's payload with one user error, its other fields {@code null}. */
	private static String userError(String mutation, List<String> nullFields, String field, String message) {
		Map<String, Object> payload = new LinkedHashMap<>();
		nullFields.forEach(name -> payload.put(name, null));
		payload.put("userErrors", List.of(Map.of("field", List.of(field), "message", message)));
		return JSON.writeValueAsString(Map.of("data", Map.of(mutation, payload)));
	}

	private String usageRecords(ShopState shop, JsonNode variables) {
		String id = variables.path("subscriptionId").asString();
		String after = variables.path("after").asString(null);
		List<UsageRecord> newestFirst;
		Subscription subscription;
		synchronized (shop) {
			subscription = shop.subscriptions.get(id);
			newestFirst = new ArrayList<>(shop.records.stream().filter(r -> r.subscriptionId().equals(id)).toList());
		}
		if (subscription == null) {
			return "{\"data\":{\"node\":null}}";
		}
		java.util.Collections.reverse(newestFirst);
		int start = after == null ? 0 : Integer.parseInt(new String(Base64.getDecoder().decode(after),
				StandardCharsets.UTF_8)) + 1;
		int end = Math.min(start + shop.pageSize, newestFirst.size());
		List<Map<String, Object>> edges = new ArrayList<>();
		for (int i = start; i < end; i++) {
			UsageRecord r = newestFirst.get(i);
			Map<String, Object> node = new LinkedHashMap<>();
			node.put("id", r.id());
			node.put("idempotencyKey", r.idempotencyKey());
			node.put("price", Map.of("amount", r.amount().toPlainString(), "currencyCode", r.currencyCode()));
			node.put("createdAt", r.createdAt().toString());
			edges.add(Map.of("cursor", cursor(i), "node", node));
		}
		Map<String, Object> pageInfo = new LinkedHashMap<>();
		pageInfo.put("hasNextPage", end < newestFirst.size());
		pageInfo.put("endCursor", edges.isEmpty() ? null : cursor(end - 1));
		return JSON.writeValueAsString(Map.of("data", Map.of("node", Map.of("id", id, "lineItems", List.of(
				Map.of("plan", Map.of("pricingDetails", Map.of("__typename", "AppRecurringPricing")),
						"usageRecords", Map.of("edges", List.of(), "pageInfo", Map.of("hasNextPage", false))),
				Map.of("plan", Map.of("pricingDetails", Map.of("__typename", "AppUsagePricing")),
						"usageRecords", Map.of("edges", edges, "pageInfo", pageInfo)))))));
	}

	private static String cursor(int index) {
		return Base64.getEncoder().encodeToString(Integer.toString(index).getBytes(StandardCharsets.UTF_8));
	}

	private static void respond(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		exchange.getResponseBody().write(bytes);
	}
}
