package dev.shelf.webhooks.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import dev.shelf.catalog.Shops;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /webhooks/shopify}: Shopify's deliveries. Answers within milliseconds whatever the processing costs:
 * the delivery is verified, committed to the inbox and acknowledged; workers process it afterwards. Nothing is
 * stored for a request that fails verification.
 */
@RestController
class ShopifyWebhookController {

	static final String PATH = "/webhooks/shopify";
	private static final List<String> REQUIRED_HEADERS = List.of("X-Shopify-Topic", "X-Shopify-Shop-Domain",
			"X-Shopify-Webhook-Id", "X-Shopify-API-Version");

	private final WebhookSignature signature;
	private final Inbox inbox;
	private final Shops shops;
	private final DeliveryWorkers workers;
	private final WebhookMetrics metrics;
	private final JsonMapper json;
	private final int maxBodyBytes;

	ShopifyWebhookController(WebhookSignature signature, Inbox inbox, Shops shops, DeliveryWorkers workers,
			WebhookMetrics metrics, JsonMapper json, WebhookProperties properties) {
		this.signature = signature;
		this.inbox = inbox;
		this.shops = shops;
		this.workers = workers;
		this.metrics = metrics;
		this.json = json;
		this.maxBodyBytes = properties.maxBodyBytes();
	}

	/**
	 * Writes its answer itself, a short plain-text line, rather than through Spring MVC's content negotiation and
	 * message converters: a tenth of the acknowledgement's CPU for bodies nobody reads (BENCHMARKS.md §7).
	 */
	@PostMapping(PATH)
	void receive(HttpServletRequest request, HttpServletResponse response) throws IOException {
		Answer answer = receive(request);
		response.setStatus(answer.status().value());
		response.setContentType(MediaType.TEXT_PLAIN_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8);
		response.getWriter().write(answer.message());
	}

	private Answer receive(HttpServletRequest request) throws IOException {
		if (request.getContentLengthLong() > maxBodyBytes) {
			return reject(HttpStatus.CONTENT_TOO_LARGE, "too_large", "Body over " + maxBodyBytes + " bytes");
		}
		byte[] body = request.getInputStream().readNBytes(maxBodyBytes + 1);
		if (body.length > maxBodyBytes) {
			return reject(HttpStatus.CONTENT_TOO_LARGE, "too_large", "Body over " + maxBodyBytes + " bytes");
		}
		String hmac = request.getHeader("X-Shopify-Hmac-Sha256");
		if (!signature.verifies(body, hmac)) {
			return reject(HttpStatus.UNAUTHORIZED, hmac == null ? "missing_hmac" : "invalid_hmac",
					"HMAC verification failed");
		}
		for (String header : REQUIRED_HEADERS) {
			String value = request.getHeader(header);
			if (value == null || value.isBlank()) {
				return reject(HttpStatus.BAD_REQUEST, "missing_header", "Missing header " + header);
			}
		}
		String domain = request.getHeader("X-Shopify-Shop-Domain").strip();
		if (!Shops.MYSHOPIFY_DOMAIN.matcher(domain).matches()) {
			return reject(HttpStatus.BAD_REQUEST, "invalid_shop_domain", "Not a myshopify.com domain: " + domain);
		}
		String topic = request.getHeader("X-Shopify-Topic").strip();
		var arrival = new Inbox.Arrival(shops.registeredId(domain),
				request.getHeader("X-Shopify-Webhook-Id").strip(), topic, domain,
				request.getHeader("X-Shopify-Event-Id"), instantOrNull(request.getHeader("X-Shopify-Triggered-At")),
				request.getHeader("X-Shopify-API-Version").strip(), body);
		String malformed = malformedJson(body);
		if (!inbox.store(arrival, malformed)) {
			metrics.duplicate(topic);
			return Answer.ok("duplicate");
		}
		if (malformed != null) {
			// Answered 200 on purpose: Shopify would retry a delivery that can never succeed for four hours and then
			// drop the subscription. It is kept as dead, with the parse error, for an operator to look at.
			metrics.deadOnArrival(topic);
			return Answer.ok("stored as dead: " + malformed);
		}
		metrics.received(topic);
		workers.wakeUp();
		return Answer.ok("accepted");
	}

	/**
	 * Reads the body's tokens without building anything from them: the processing parses it for real, the
	 * acknowledgement only needs to know whether it ever can.
	 */
	private String malformedJson(byte[] body) {
		try (JsonParser parser = json.createParser(body)) {
			if (parser.nextToken() == null) {
				return "malformed JSON: empty body";
			}
			parser.skipChildren();
			if (parser.nextToken() != null) {
				return "malformed JSON: content after the document";
			}
			return null;
		}
		catch (JacksonException e) {
			return "malformed JSON: " + e.getOriginalMessage();
		}
	}

	private Answer reject(HttpStatus status, String reason, String message) {
		metrics.rejected(reason);
		return new Answer(status, message);
	}

	private record Answer(HttpStatus status, String message) {

		static Answer ok(String message) {
			return new Answer(HttpStatus.OK, message);
		}
	}

	private static Instant instantOrNull(String header) {
		try {
			return header == null ? null : Instant.parse(header.strip());
		}
		catch (DateTimeParseException e) {
			return null;
		}
	}
}
