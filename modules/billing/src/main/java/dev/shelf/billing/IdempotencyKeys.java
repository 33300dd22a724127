package dev.shelf.billing;

import dev.shelf.catalog.ShopId;

/**
 * Idempotency keys of mutating requests (IETF draft "The Idempotency-Key HTTP Header Field", with Stripe's
 * behaviour): the first request with a key executes and its response is stored; a retry gets the stored response;
 * the same key with a different request is a mismatch; a retry while the first is still executing is told to come
 * back later. Keys are scoped by shop and expire (24 h by default, {@code shelf.idempotency.ttl}); a scheduled
 * purge deletes them.
 * <p>
 * Of any number of concurrent requests with one key, exactly one gets {@link IdempotencyDecision.Execute}: the
 * store's unique key decides, not a read before the write.
 */
public interface IdempotencyKeys {

	IdempotencyDecision begin(ShopId shop, IdempotencyKey key, RequestFingerprint fingerprint);

	/**
	 * Stores the response of the claimed execution for its retries. A claim whose lease ran out and was taken over by
	 * a retry stores nothing (the newer execution's response wins); that is logged and counted.
	 */
	void complete(IdempotencyDecision.Claim claim, StoredResponse response);

	/**
	 * Forgets the claimed key without storing anything — the request failed on the server's side and produced no
	 * result — so the client's retry executes again.
	 */
	void release(IdempotencyDecision.Claim claim);
}
