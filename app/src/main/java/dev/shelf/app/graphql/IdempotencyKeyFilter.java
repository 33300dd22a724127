package dev.shelf.app.graphql;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.BufferedReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.shelf.app.security.ShopSession;
import dev.shelf.billing.IdempotencyDecision;
import dev.shelf.billing.IdempotencyKey;
import dev.shelf.billing.IdempotencyKeys;
import dev.shelf.billing.RequestFingerprint;
import dev.shelf.billing.StoredResponse;
import dev.shelf.catalog.ShopId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;
import org.springframework.web.util.WebUtils;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code Idempotency-Key} on GraphQL mutations, at the HTTP layer so that every module's mutations get it: billing's
 * {@link IdempotencyKeys} keeps the keys and decides; this filter finds the mutation, asks, and answers — the stored
 * response again with {@code Idempotent-Replayed: true}, 409 with {@code Retry-After} while the first request still
 * executes, 422 when the key was used for another request, 400 for a malformed key — or lets the request execute
 * and stores its response. The README's "Idempotency-Key" section is the contract.
 * <p>
 * Runs after Spring Security (the key is scoped by the authenticated shop only) and on the asynchronous dispatch
 * too: Spring for GraphQL may finish the response there, and only then is there something to store.
 */
@Component
@Order(0) // after the security filter chain (-100), which authenticates the shop
class IdempotencyKeyFilter extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(IdempotencyKeyFilter.class);

	static final String KEY_HEADER = "Idempotency-Key";
	static final String REPLAYED_HEADER = "Idempotent-Replayed";
	static final String KEY_INVALID = "IDEMPOTENCY_KEY_INVALID";
	static final String KEY_IN_USE = "IDEMPOTENCY_KEY_IN_USE";
	static final String KEY_REUSED = "IDEMPOTENCY_KEY_REUSED";
	private static final String EXECUTION = IdempotencyKeyFilter.class.getName() + ".execution";

	private final IdempotencyKeys keys;
	private final JsonMapper json;
	private final String graphQlPath;
	private final Counter invalidKeys;
	private final Counter ignoredKeys;

	IdempotencyKeyFilter(IdempotencyKeys keys, JsonMapper json, MeterRegistry registry,
			@Value("${spring.graphql.http.path:/graphql}") String graphQlPath) {
		this.keys = keys;
		this.json = json;
		this.graphQlPath = graphQlPath;
		this.invalidKeys = Counter.builder("shelf.idempotency.requests").tag("outcome", "invalid")
				.description("Requests with an Idempotency-Key, by what was done with them").register(registry);
		this.ignoredKeys = Counter.builder("shelf.idempotency.requests").tag("outcome", "not_a_mutation")
				.description("Requests with an Idempotency-Key, by what was done with them").register(registry);
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return request.getAttribute(EXECUTION) == null && !("POST".equals(request.getMethod())
				&& request.getHeader(KEY_HEADER) != null
				&& graphQlPath.equals(request.getRequestURI().substring(request.getContextPath().length())));
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getAttribute(EXECUTION) instanceof Execution execution) {
			execution.resume(request, response, chain);
			return;
		}
		if (!(request.getAttribute(ShopSession.SHOP_ID_REQUEST_ATTRIBUTE) instanceof ShopId shop)) {
			chain.doFilter(request, response); // not authenticated: security has answered already
			return;
		}
		List<String> headers = Collections.list(request.getHeaders(KEY_HEADER));
		IdempotencyKey key;
		try {
			if (headers.size() != 1) {
				throw new IllegalArgumentException("Send one Idempotency-Key header, not " + headers.size());
			}
			key = IdempotencyKey.fromHeader(headers.get(0));
		}
		catch (IllegalArgumentException invalid) {
			invalidKeys.increment();
			log.info("Idempotency-Key refused: {}", invalid.getMessage());
			writeError(response, HttpServletResponse.SC_BAD_REQUEST, KEY_INVALID, invalid.getMessage());
			return;
		}
		BufferedBodyRequest buffered = new BufferedBodyRequest(request);
		Optional<RequestFingerprint> fingerprint = MutationFingerprint.of(json, buffered.body);
		if (fingerprint.isEmpty()) {
			ignoredKeys.increment();
			chain.doFilter(buffered, response);
			return;
		}
		IdempotencyDecision decision = keys.begin(shop, key, fingerprint.get());
		if (decision instanceof IdempotencyDecision.Replay replay) {
			writeReplay(response, replay.response());
		}
		else if (decision instanceof IdempotencyDecision.InProgress inProgress) {
			response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(wholeSeconds(inProgress.retryAfter())));
			writeError(response, HttpServletResponse.SC_CONFLICT, KEY_IN_USE, "A request with Idempotency-Key '"
					+ key.value() + "' is still being executed; retry after the Retry-After delay");
		}
		else if (decision instanceof IdempotencyDecision.Mismatch) {
			writeError(response, 422, KEY_REUSED, "Idempotency-Key '" + key.value()
					+ "' was already used for a different request (operation or variables); use a new key");
		}
		else {
			new Execution(((IdempotencyDecision.Execute) decision).claim()).start(buffered, response, chain);
		}
	}

	/**
	 * One execution of a claimed key: the response is captured, stored (or the key released) and only then sent, so
	 * a retry arriving after the client has its answer finds it stored.
	 */
	private final class Execution implements AsyncListener {

		private final IdempotencyDecision.Claim claim;
		private final AtomicBoolean finished = new AtomicBoolean();

		Execution(IdempotencyDecision.Claim claim) {
			this.claim = claim;
		}

		void start(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
			run(request, captured, chain);
			if (request.isAsyncStarted()) {
				request.setAttribute(EXECUTION, this);
				request.getAsyncContext().addListener(this);
				return;
			}
			finish(captured);
		}

		/** The asynchronous dispatch, where Spring for GraphQL writes the response of a result it waited for. */
		void resume(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			ContentCachingResponseWrapper captured = WebUtils.getNativeResponse(response, ContentCachingResponseWrapper.class);
			if (captured == null) {
				captured = new ContentCachingResponseWrapper(response);
			}
			run(request, captured, chain);
			if (!request.isAsyncStarted()) {
				finish(captured);
			}
		}

		private void run(HttpServletRequest request, ContentCachingResponseWrapper captured, FilterChain chain)
				throws ServletException, IOException {
			try {
				chain.doFilter(request, captured);
			}
			catch (ServletException | IOException | RuntimeException | Error failure) {
				release("the request failed with " + failure);
				throw failure;
			}
		}

		private void finish(ContentCachingResponseWrapper captured) throws IOException {
			if (finished.compareAndSet(false, true)) {
				int status = captured.getStatus();
				byte[] body = captured.getContentAsByteArray();
				try {
					if (status < 500 && producedAResult(body)) {
						keys.complete(claim, new StoredResponse(status, captured.getContentType(), body));
					}
					else {
						log.info("Idempotency-Key '{}' released, nothing stored: HTTP {} without a result of the mutation",
								claim.key().value(), status);
						keys.release(claim);
					}
				}
				catch (RuntimeException e) {
					// The mutation ran and the client gets its answer; a retry finds the key executing until the
					// lease ends, then executes again.
					log.error("Idempotency-Key '{}': the response (HTTP {}) could not be stored", claim.key().value(),
							status, e);
				}
			}
			captured.copyBodyToResponse();
		}

		private void release(String why) {
			if (finished.compareAndSet(false, true)) {
				log.info("Idempotency-Key '{}' released, nothing stored: {}", claim.key().value(), why);
				keys.release(claim);
			}
		}

		@Override
		public void onComplete(AsyncEvent event) {
			release("the asynchronous request completed without a response to store");
		}

		@Override
		public void onTimeout(AsyncEvent event) {
			release("the asynchronous request timed out");
		}

		@Override
		public void onError(AsyncEvent event) {
			release("the asynchronous request failed with " + event.getThrowable());
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
			event.getAsyncContext().addListener(this);
		}
	}

	/**
	 * Whether the mutation produced something a retry must see again: a field of {@code data} that is not null — a
	 * payload, with or without {@code userErrors}. No {@code data} (parse, validation and limit errors: nothing ran)
	 * or only nulls (every field failed, its transaction rolled back) is no result, and the retry executes afresh.
	 */
	private boolean producedAResult(byte[] body) {
		try {
			JsonNode data = json.readTree(body).get("data");
			return data != null && data.isObject() && data.valueStream().anyMatch(field -> !field.isNull());
		}
		catch (JacksonException notJson) {
			return false;
		}
	}

	private static void writeReplay(HttpServletResponse response, StoredResponse stored) throws IOException {
		response.setStatus(stored.status());
		if (stored.contentType() != null) {
			response.setContentType(stored.contentType());
		}
		response.setHeader(REPLAYED_HEADER, "true");
		byte[] body = stored.body();
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

	/** GraphQL-shaped, like every other refusal of {@code /graphql}: clients switch on {@code extensions.code}. */
	private void writeError(HttpServletResponse response, int status, String code, String message) throws IOException {
		response.setStatus(status);
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		json.writeValue(response.getOutputStream(),
				Map.of("errors", List.of(Map.of("message", message, "extensions", Map.of("code", code)))));
	}

	/** {@code Retry-After} takes whole seconds; never 0, which would invite an immediate retry loop. */
	private static long wholeSeconds(Duration duration) {
		return Math.max(1, (duration.toMillis() + 999) / 1000);
	}

	/** The request with its body read once, here, and served again to whoever reads it next (Spring for GraphQL). */
	private static final class BufferedBodyRequest extends HttpServletRequestWrapper {

		final byte[] body;

		BufferedBodyRequest(HttpServletRequest request) throws IOException {
			super(request);
			this.body = request.getInputStream().readAllBytes();
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream bytes = new ByteArrayInputStream(body);
			return new ServletInputStream() {

				@Override
				public int read() {
					return bytes.read();
				}

				@Override
				public int read(byte[] buffer, int offset, int length) {
					return bytes.read(buffer, offset, length);
				}

				@Override
				public boolean isFinished() {
					return bytes.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException("The body is already read");
				}
			};
		}

		@Override
		public BufferedReader getReader() {
			String encoding = getCharacterEncoding();
			Charset charset = encoding != null ? Charset.forName(encoding) : StandardCharsets.UTF_8;
			return new BufferedReader(new InputStreamReader(getInputStream(), charset));
		}

		@Override
		public int getContentLength() {
			return body.length;
		}

		@Override
		public long getContentLengthLong() {
			return body.length;
		}
	}
}
