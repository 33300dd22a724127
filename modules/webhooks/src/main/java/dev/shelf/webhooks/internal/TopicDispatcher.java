package dev.shelf.webhooks.internal;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import dev.shelf.billing.Billing;
import dev.shelf.billing.PlacedOrder;
import dev.shelf.billing.SubscriptionChange;
import dev.shelf.billing.SubscriptionStatus;
import dev.shelf.catalog.Catalog;
import dev.shelf.catalog.ShopifyProductData;
import dev.shelf.catalog.Shops;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a Shopify delivery into calls on the catalog's and billing's public APIs: the anti-corruption layer, so no
 * domain module ever reads a Shopify payload. Ids are read as {@code long} from Jackson's integer nodes (never
 * through a double, which would corrupt ids above 2^53).
 */
@Component
class TopicDispatcher {

	private static final Logger log = LoggerFactory.getLogger(TopicDispatcher.class);

	private final Catalog catalog;
	private final Shops shops;
	private final Billing billing;
	private final JsonMapper json;
	private final WebhookMetrics metrics;
	private final PrivacyTopics privacyTopics;

	TopicDispatcher(Catalog catalog, Shops shops, Billing billing, JsonMapper json, WebhookMetrics metrics,
			PrivacyTopics privacyTopics) {
		this.privacyTopics = privacyTopics;
		this.catalog = catalog;
		this.shops = shops;
		this.billing = billing;
		this.json = json;
		this.metrics = metrics;
	}

	/** @return the outcome recorded with the delivery, e.g. {@code CREATED}, {@code STALE}, {@code RECORDED} */
	String dispatch(Inbox.Delivery delivery) {
		// Decimals as BigDecimal from their text, never through a double.
		JsonNode payload = json.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(delivery.body());
		return switch (delivery.topic()) {
			case "products/create", "products/update" ->
				catalog.applyShopifyProduct(delivery.shop(), product(payload)).outcome().name();
			case "products/delete" -> catalog.markShopifyProductDeleted(delivery.shop(), id(payload, "id"),
					delivery.triggeredAt() != null ? delivery.triggeredAt() : delivery.receivedAt()).outcome().name();
			// Records the order and creates its usage charge; the charge is sent to Shopify after this commits.
			case "orders/create" -> "CHARGE_" + billing.chargeForOrder(delivery.shop(), order(payload)).outcome();
			case "app_subscriptions/update" -> billing.applySubscriptionChange(delivery.shop(), subscriptionChange(payload));
			case "app/uninstalled" -> {
				shops.markUninstalled(delivery.shop(),
						delivery.triggeredAt() != null ? delivery.triggeredAt() : delivery.receivedAt());
				billing.dropAccessToken(delivery.shop());
				yield "UNINSTALLED";
			}
			case "customers/data_request" -> privacy(delivery, () -> privacyTopics.customerDataRequest(delivery, payload));
			case "customers/redact" -> privacy(delivery, () -> privacyTopics.customerRedact(delivery, payload));
			case "shop/redact" -> privacy(delivery, () -> privacyTopics.shopRedact(delivery));
			case "shop/update" -> {
				shops.updateDetails(delivery.shop(), ZoneId.of(text(payload, "iana_timezone")), text(payload, "currency"));
				yield "UPDATED";
			}
			default -> {
				// Stored, counted and visible with this outcome: never silently dropped.
				metrics.unhandled(delivery.topic());
				log.warn("Webhook topic {} has no handler; delivery {} kept as UNHANDLED", delivery.topic(), delivery.id());
				yield "UNHANDLED";
			}
		};
	}

	private String privacy(Inbox.Delivery delivery, Supplier<String> handler) {
		String outcome = handler.get();
		metrics.privacyRequest(delivery.topic());
		log.info("Privacy request {} of shop {} handled: {}", delivery.topic(), delivery.shopDomain(), outcome);
		return outcome;
	}

	private static ShopifyProductData product(JsonNode p) {
		List<ShopifyProductData.Variant> variants = new ArrayList<>();
		int position = 0;
		for (JsonNode v : p.path("variants")) {
			position++;
			variants.add(new ShopifyProductData.Variant(id(v, "id"), text(v, "title"), nullableText(v, "sku"),
					decimal(v, "price"), v.path("compare_at_price").isNull() || v.path("compare_at_price").isMissingNode()
							? null : decimal(v, "compare_at_price"),
					v.path("inventory_quantity").asInt(0), v.path("position").asInt(position)));
		}
		String tags = p.path("tags").asString("");
		return new ShopifyProductData(id(p, "id"), text(p, "title"), nullableText(p, "body_html"),
				nullableText(p, "vendor"), nullableText(p, "product_type"), nullableText(p, "handle"),
				p.path("status").asString("active"),
				tags.isBlank() ? List.of() : Arrays.stream(tags.split(",")).map(String::strip).filter(t -> !t.isEmpty()).toList(),
				OffsetDateTime.parse(text(p, "updated_at")).toInstant(), variants, p.toString());
	}

	private static PlacedOrder order(JsonNode o) {
		JsonNode customer = o.path("customer");
		return new PlacedOrder(id(o, "id"), decimal(o, "total_price"), text(o, "currency"),
				OffsetDateTime.parse(text(o, "created_at")).toInstant(),
				customer.isObject() && customer.path("id").isIntegralNumber() ? customer.path("id").longValue() : null);
	}

	/**
	 * Shopify nests the subscription under {@code app_subscription}: {@code admin_graphql_api_id}, {@code status}
	 * (upper case, e.g. {@code ACTIVE}) and {@code updated_at}.
	 */
	private static SubscriptionChange subscriptionChange(JsonNode payload) {
		JsonNode s = payload.path("app_subscription").isObject() ? payload.path("app_subscription") : payload;
		return new SubscriptionChange(text(s, "admin_graphql_api_id"),
				SubscriptionStatus.valueOf(text(s, "status").toUpperCase(java.util.Locale.ROOT)),
				OffsetDateTime.parse(text(s, "updated_at")).toInstant());
	}

	private static long id(JsonNode node, String field) {
		JsonNode id = node.path(field);
		if (!id.isIntegralNumber() || !id.canConvertToLong()) {
			throw new IllegalArgumentException("'" + field + "' is not a 64-bit integer id: " + id);
		}
		return id.longValue();
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.path(field);
		if (!value.isString()) {
			throw new IllegalArgumentException("'" + field + "' is missing or not text");
		}
		return value.asString();
	}

	private static String nullableText(JsonNode node, String field) {
		return node.path(field).isString() ? node.path(field).asString() : null;
	}

	/** Shopify sends money as strings ("19.99"); a number is accepted only through its exact text. */
	private static BigDecimal decimal(JsonNode node, String field) {
		JsonNode value = node.path(field);
		if (value.isString()) {
			return new BigDecimal(value.asString());
		}
		if (value.isNumber()) {
			return value.decimalValue();
		}
		throw new IllegalArgumentException("'" + field + "' is not a decimal");
	}

}
