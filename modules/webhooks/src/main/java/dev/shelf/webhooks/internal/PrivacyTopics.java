package dev.shelf.webhooks.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.shelf.billing.Billing;
import dev.shelf.billing.PlacedOrder;
import dev.shelf.catalog.ErasedRows;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Shopify's mandatory privacy topics. Each module does its own part through its public API; this class finds what
 * the webhooks module itself holds about a customer (the raw bodies of deliveries still kept) and records each
 * request with its result in {@link PrivacyRequests}.
 * <ul>
 * <li>{@code customers/data_request}: an export of everything Shelf stores about the customer, stored with the
 * request for operators to hand to the merchant. The catalog holds no customer data.
 * <li>{@code customers/redact}: billing forgets the customer's id on its orders; every delivery body that mentions
 * the customer (or one of the orders named) is removed. Done in the delivery's own transaction: all or nothing.
 * <li>{@code shop/redact}: recorded here, carried out in batches by {@link ShopErasures}.
 * </ul>
 */
@Component
class PrivacyTopics {

	/** Bodies read per query while searching a shop's deliveries for a customer. */
	private static final int SCAN_BATCH = 500;

	private final Inbox inbox;
	private final PrivacyRequests requests;
	private final Billing billing;
	private final JsonMapper json;

	PrivacyTopics(Inbox inbox, PrivacyRequests requests, Billing billing, JsonMapper json) {
		this.inbox = inbox;
		this.requests = requests;
		this.billing = billing;
		this.json = json;
	}

	String customerDataRequest(Inbox.Delivery delivery, JsonNode payload) {
		Customer customer = Customer.of(payload, "orders_requested");
		Map<String, Object> export = new LinkedHashMap<>();
		export.put("shopDomain", delivery.shopDomain());
		export.put("customerId", String.valueOf(customer.id()));
		List<Map<String, Object>> orders = new ArrayList<>();
		for (PlacedOrder order : billing.ordersOfCustomer(delivery.shop(), customer.id(), customer.orderIds())) {
			orders.add(Map.of("shopifyOrderId", String.valueOf(order.shopifyOrderId()),
					"totalPrice", order.totalPrice().toPlainString(), "currencyCode", order.currencyCode(),
					"placedAt", order.placedAt().toString()));
		}
		export.put("billing", Map.of("orders", orders));
		List<Map<String, Object>> deliveries = new ArrayList<>();
		for (Inbox.StoredBody body : bodiesConcerning(delivery, customer)) {
			if (body.id() != delivery.id()) { // the request itself is not data Shelf keeps about the customer
				deliveries.add(Map.of("topic", body.topic(), "receivedAt", body.receivedAt().toString(),
						"body", new String(body.body(), StandardCharsets.UTF_8)));
			}
		}
		export.put("webhooks", Map.of("deliveries", deliveries));
		export.put("catalog", Map.of("note", "The catalog stores no customer data."));
		requests.recordCompleted(PrivacyRequests.Kind.CUSTOMER_DATA_REQUEST, delivery, customer.id(),
				payload.path("data_request").path("id").isIntegralNumber()
						? payload.path("data_request").path("id").longValue() : null,
				json.writeValueAsString(export));
		return "EXPORTED";
	}

	String customerRedact(Inbox.Delivery delivery, JsonNode payload) {
		Customer customer = Customer.of(payload, "orders_to_redact");
		ErasedRows changed = billing.redactCustomer(delivery.shop(), customer.id(), customer.orderIds());
		List<Long> deliveries = bodiesConcerning(delivery, customer).stream().map(Inbox.StoredBody::id).toList();
		changed = changed.plus(ErasedRows.of("webhooks.deliveries.body",
				deliveries.isEmpty() ? 0 : inbox.redactBodies(delivery.shop(), deliveries)));
		requests.recordCompleted(PrivacyRequests.Kind.CUSTOMER_REDACT, delivery, customer.id(), null,
				json.writeValueAsString(changed.byTable()));
		return "REDACTED";
	}

	String shopRedact(Inbox.Delivery delivery) {
		requests.recordPendingErasure(delivery);
		return "ERASURE_SCHEDULED";
	}

	/** The shop's stored bodies that mention the customer: read in batches, matched on the parsed JSON. */
	private List<Inbox.StoredBody> bodiesConcerning(Inbox.Delivery delivery, Customer customer) {
		List<Inbox.StoredBody> found = new ArrayList<>();
		long after = 0;
		List<Inbox.StoredBody> batch;
		do {
			batch = inbox.bodies(delivery.shop(), after, SCAN_BATCH);
			for (Inbox.StoredBody body : batch) {
				if (customer.isMentionedBy(body, json)) {
					found.add(body);
				}
				after = body.id();
			}
		}
		while (batch.size() == SCAN_BATCH);
		return found;
	}

	/** The customer a request is about, as Shopify names it: id, email, phone, and orders. */
	private record Customer(long id, String email, String phone, Set<Long> orderIds) {

		static Customer of(JsonNode payload, String ordersField) {
			JsonNode customer = payload.path("customer");
			if (!customer.path("id").isIntegralNumber() || !customer.path("id").canConvertToLong()) {
				throw new IllegalArgumentException("'customer.id' is missing or not a 64-bit integer id");
			}
			Set<Long> orders = new LinkedHashSet<>();
			for (JsonNode order : payload.path(ordersField)) {
				if (!order.isIntegralNumber() || !order.canConvertToLong()) {
					throw new IllegalArgumentException("'" + ordersField + "' holds a non-id: " + order);
				}
				orders.add(order.longValue());
			}
			return new Customer(customer.path("id").longValue(), blankToNull(customer.path("email").asString("")),
					blankToNull(customer.path("phone").asString("")), orders);
		}

		/**
		 * Shopify's payloads name a customer as {@code customer.id} (orders, privacy topics) or as the top-level
		 * {@code id} (customers/*), and an order as the top-level {@code id} (orders/*). A body that is not JSON
		 * (stored dead on arrival) is matched on the customer's email and phone in its text.
		 */
		boolean isMentionedBy(Inbox.StoredBody body, JsonMapper json) {
			JsonNode payload;
			try {
				payload = json.readTree(body.body());
			}
			catch (JacksonException notJson) {
				String text = new String(body.body(), StandardCharsets.UTF_8);
				return (email != null && text.contains(email)) || (phone != null && text.contains(phone));
			}
			return isId(payload.path("customer").path("id"), id)
					|| (body.topic().startsWith("customers/") && isId(payload.path("id"), id))
					|| (body.topic().startsWith("orders/") && payload.path("id").isIntegralNumber()
							&& orderIds.contains(payload.path("id").longValue()));
		}

		private static boolean isId(JsonNode node, long id) {
			return node.isIntegralNumber() && node.canConvertToLong() && node.longValue() == id;
		}

		private static String blankToNull(String text) {
			return text.isBlank() ? null : text;
		}
	}
}
