package dev.shelf.app.graphql;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.shelf.app.security.ShopSession;
import dev.shelf.billing.IdempotencyDecision;
import dev.shelf.billing.IdempotencyKey;
import dev.shelf.billing.IdempotencyKeys;
import dev.shelf.billing.RequestFingerprint;
import dev.shelf.billing.StoredResponse;
import dev.shelf.catalog.ShopId;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockAsyncContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring for GraphQL may write its response on the asynchronous dispatch that follows the request's own; the
 * end-to-end tests' mutations complete synchronously, so this path is driven here with servlet mocks.
 */
class IdempotencyKeyFilterAsyncTests {

	private static final byte[] RESULT = "{\"data\":{\"productCreate\":{\"product\":{\"id\":\"gid://shelf/Product/7\"}}}}"
			.getBytes(StandardCharsets.UTF_8);

	private final RecordingKeys keys = new RecordingKeys();
	private final IdempotencyKeyFilter filter = new IdempotencyKeyFilter(keys, JsonMapper.builder().build(),
			new SimpleMeterRegistry(), "/graphql");
	private final MockHttpServletRequest request = new MockHttpServletRequest("POST", "/graphql");
	private final MockHttpServletResponse response = new MockHttpServletResponse();

	@BeforeEach
	void mutationWithAKey() {
		request.setAsyncSupported(true);
		request.addHeader("Idempotency-Key", "key-1");
		request.setAttribute(ShopSession.SHOP_ID_REQUEST_ATTRIBUTE, new ShopId(1));
		request.setContentType("application/json");
		request.setContent("{\"query\":\"mutation { productCreate(input: {title: \\\"Lamp\\\"}) { product { id } } }\"}"
				.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void aResponseWrittenOnTheAsynchronousDispatchIsStoredBeforeItIsSent() throws Exception {
		filter.doFilter(request, response, (req, res) -> req.startAsync(req, res));
		assertThat(keys.completed).isEmpty();
		assertThat(response.getContentAsByteArray()).isEmpty();

		MockAsyncContext async = (MockAsyncContext) request.getAsyncContext();
		request.setAsyncStarted(false);
		request.setDispatcherType(DispatcherType.ASYNC);
		filter.doFilter(request, async.getResponse(), (req, res) -> {
			res.setContentType("application/json");
			res.getOutputStream().write(RESULT);
		});
		async.complete();

		assertThat(keys.completed).containsExactly(new StoredResponse(200, "application/json", RESULT));
		assertThat(keys.released).isZero();
		assertThat(response.getContentAsByteArray()).isEqualTo(RESULT);
	}

	@Test
	void anAsynchronousRequestThatEndsWithoutAResponseReleasesItsKey() throws Exception {
		filter.doFilter(request, response, (req, res) -> req.startAsync(req, res));

		((MockAsyncContext) request.getAsyncContext()).complete();

		assertThat(keys.completed).isEmpty();
		assertThat(keys.released).isEqualTo(1);
	}

	/** Every request executes; what became of it is recorded. */
	private static final class RecordingKeys implements IdempotencyKeys {

		final List<StoredResponse> completed = new ArrayList<>();
		int released;

		@Override
		public IdempotencyDecision begin(ShopId shop, IdempotencyKey key, RequestFingerprint fingerprint) {
			return new IdempotencyDecision.Execute(new IdempotencyDecision.Claim(shop, key, UUID.randomUUID()));
		}

		@Override
		public void complete(IdempotencyDecision.Claim claim, StoredResponse response) {
			completed.add(response);
		}

		@Override
		public void release(IdempotencyDecision.Claim claim) {
			released++;
		}
	}
}
