package dev.shelf.webhooks.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.ToLongFunction;

import dev.shelf.catalog.BadUserInputException;
import dev.shelf.catalog.GlobalId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

/**
 * The operators' GraphQL API of the webhooks module ({@code graphql/webhooks/operations.graphqls}): list deliveries
 * by state and see why they failed, replay one or all dead ones of a topic, read privacy requests and their exports.
 * Every field is {@code @operatorOnly} in the schema; the application refuses shops before a method here runs.
 */
@Controller
class OperatorController {

	private static final Logger log = LoggerFactory.getLogger(OperatorController.class);

	static final String DELIVERY_TYPE = "WebhookDelivery";
	static final String PRIVACY_REQUEST_TYPE = "PrivacyRequest";
	private static final int MAX_PAGE = 250;
	/** Dead deliveries queued again per statement by a bulk replay. */
	private static final int REPLAY_BATCH = 1000;

	private final Inbox inbox;
	private final PrivacyRequests privacyRequests;
	private final DeliveryWorkers workers;
	private final WebhookMetrics metrics;

	OperatorController(Inbox inbox, PrivacyRequests privacyRequests, DeliveryWorkers workers, WebhookMetrics metrics) {
		this.inbox = inbox;
		this.privacyRequests = privacyRequests;
		this.workers = workers;
		this.metrics = metrics;
	}

	/** A Relay connection as the schema spells it; pages go forward only, newest first. */
	record Connection<T>(List<Edge<T>> edges, List<T> nodes, PageInfo pageInfo) {

		record Edge<T>(String cursor, T node) {
		}

		record PageInfo(boolean hasNextPage, boolean hasPreviousPage, String startCursor, String endCursor) {
		}

		/** @param probe the page plus one more item if there is one: that item only says there is a next page */
		static <T> Connection<T> of(List<T> probe, int first, String kind, ToLongFunction<T> id, boolean afterGiven) {
			List<T> items = probe.subList(0, Math.min(first, probe.size()));
			List<Edge<T>> edges = items.stream().map(item -> new Edge<>(cursor(kind, id.applyAsLong(item)), item)).toList();
			return new Connection<>(edges, items, new PageInfo(probe.size() > first, afterGiven,
					edges.isEmpty() ? null : edges.get(0).cursor(), edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor()));
		}
	}

	record UserError(List<String> field, String message, String code) {
	}

	record ReplayPayload(Inbox.Record delivery, List<UserError> userErrors) {
	}

	record BulkReplayPayload(int replayedCount, List<UserError> userErrors) {
	}

	@QueryMapping
	Connection<Inbox.Record> webhookDeliveries(@Argument int first, @Argument String after, @Argument Inbox.State state,
			@Argument String topic, @Argument String shopDomain) {
		int size = pageSize(first);
		Long before = after == null ? null : cursorId("d", after);
		return Connection.of(inbox.list(state, topic, shopDomain, before, size + 1), size, "d", Inbox.Record::id,
				after != null);
	}

	@QueryMapping
	Inbox.Record webhookDelivery(@Argument String id) {
		return inbox.find(GlobalId.idOf(DELIVERY_TYPE, id)).orElse(null);
	}

	@QueryMapping
	Connection<PrivacyRequests.Request> privacyRequests(@Argument int first, @Argument String after,
			@Argument String shopDomain) {
		int size = pageSize(first);
		Long before = after == null ? null : cursorId("r", after);
		return Connection.of(privacyRequests.list(shopDomain, before, size + 1), size, "r",
				PrivacyRequests.Request::id, after != null);
	}

	@MutationMapping
	ReplayPayload webhookDeliveryReplay(@Argument String id) {
		long deliveryId = GlobalId.idOf(DELIVERY_TYPE, id);
		if (inbox.replay(deliveryId)) {
			workers.wakeUp();
			Inbox.Record delivery = inbox.find(deliveryId).orElseThrow();
			metrics.replayed(delivery.topic(), 1);
			log.info("Operator replayed webhook delivery {} ({})", deliveryId, delivery.topic());
			return new ReplayPayload(delivery, List.of());
		}
		return inbox.find(deliveryId)
				.map(processed -> new ReplayPayload(processed, List.of(new UserError(List.of("id"),
						"The delivery was processed already (outcome " + processed.outcome() + "); it is not processed twice",
						"ALREADY_PROCESSED"))))
				.orElseGet(() -> new ReplayPayload(null,
						List.of(new UserError(List.of("id"), "No webhook delivery has the id " + id, "NOT_FOUND"))));
	}

	@MutationMapping
	BulkReplayPayload webhookDeliveriesReplay(@Argument String topic, @Argument String shopDomain) {
		if (topic.isBlank()) {
			return new BulkReplayPayload(0, List.of(new UserError(List.of("topic"), "The topic is blank", "INVALID")));
		}
		int replayed = 0;
		int batch;
		do {
			// Each batch its own short statement: a topic's outage can leave many thousands of dead letters.
			batch = inbox.replayDead(topic, shopDomain, REPLAY_BATCH);
			replayed += batch;
		}
		while (batch == REPLAY_BATCH);
		if (replayed > 0) {
			workers.wakeUp();
			metrics.replayed(topic, replayed);
		}
		log.info("Operator replayed {} dead webhook deliveries of {}{}", replayed, topic,
				shopDomain == null ? "" : " for " + shopDomain);
		return new BulkReplayPayload(replayed, List.of());
	}

	@SchemaMapping(typeName = DELIVERY_TYPE)
	String id(Inbox.Record delivery) {
		return GlobalId.of(DELIVERY_TYPE, delivery.id());
	}

	@SchemaMapping(typeName = DELIVERY_TYPE)
	String body(Inbox.Record delivery) {
		return delivery.body() == null ? null : new String(delivery.body(), StandardCharsets.UTF_8);
	}

	@SchemaMapping(typeName = PRIVACY_REQUEST_TYPE)
	String id(PrivacyRequests.Request request) {
		return GlobalId.of(PRIVACY_REQUEST_TYPE, request.id());
	}

	private static int pageSize(int first) {
		if (first < 1 || first > MAX_PAGE) {
			throw new BadUserInputException("'first' must be between 1 and " + MAX_PAGE + ", was " + first);
		}
		return first;
	}

	private static String cursor(String kind, long id) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString((kind + ":" + id).getBytes(StandardCharsets.UTF_8));
	}

	private static long cursorId(String kind, String cursor) {
		try {
			String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":", 2);
			if (parts.length == 2 && parts[0].equals(kind)) {
				return Long.parseLong(parts[1]);
			}
		}
		catch (IllegalArgumentException malformed) {
			// reported below
		}
		throw new BadUserInputException("Invalid cursor '" + cursor + "': use a cursor from this connection's pageInfo or edges");
	}
}
