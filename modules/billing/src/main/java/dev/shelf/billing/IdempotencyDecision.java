package dev.shelf.billing;

import java.time.Duration;
import java.util.UUID;

import dev.shelf.catalog.ShopId;

/** What {@link IdempotencyKeys#begin} decided for a request. */
public sealed interface IdempotencyDecision {

	/**
	 * The first request with this key (or the first after the key expired, or after its previous executor's lease ran
	 * out): execute it, then {@link IdempotencyKeys#complete complete} or {@link IdempotencyKeys#release release} the
	 * claim.
	 */
	record Execute(Claim claim) implements IdempotencyDecision {
	}

	/** A retry of a completed request: answer with the stored response, do not execute. */
	record Replay(StoredResponse response) implements IdempotencyDecision {
	}

	/** The request with this key is still executing: the client should retry after {@code retryAfter}. */
	record InProgress(Duration retryAfter) implements IdempotencyDecision {
	}

	/** The key was used for a different request (another fingerprint): refuse, never replay. */
	record Mismatch() implements IdempotencyDecision {
	}

	/** Held by the one execution of a key; {@code leaseToken} tells it from a later execution that took the key over. */
	record Claim(ShopId shop, IdempotencyKey key, UUID leaseToken) {
	}
}
