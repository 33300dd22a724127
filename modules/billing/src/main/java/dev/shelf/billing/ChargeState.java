package dev.shelf.billing;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a usage charge stands. PENDING (its amount reserved under the cap, waiting to be sent) → SUBMITTED (being
 * sent to Shopify) → SUCCEEDED (Shopify recorded it) | FAILED (Shopify refused it, or it was never sendable; its
 * amount is released) | UNKNOWN (the call ended without an answer, e.g. a timeout: Shopify may or may not have
 * recorded it, so only the reconciler, asking Shopify, settles it).
 */
public enum ChargeState {
	PENDING, SUBMITTED, SUCCEEDED, FAILED, UNKNOWN;

	/** States no one will change again. */
	public boolean settled() {
		return this == SUCCEEDED || this == FAILED;
	}

	/**
	 * The transitions the state machine allows. SUBMITTED → PENDING is a send that Shopify certainly did not record
	 * (throttled), scheduled again; SUBMITTED → SUBMITTED and UNKNOWN → SUBMITTED are the reconciler resending with the
	 * same idempotency key.
	 */
	public Set<ChargeState> next() {
		switch (this) {
			case PENDING:
				return EnumSet.of(SUBMITTED, FAILED);
			case SUBMITTED:
				return EnumSet.of(PENDING, SUBMITTED, SUCCEEDED, FAILED, UNKNOWN);
			case UNKNOWN:
				return EnumSet.of(SUBMITTED, SUCCEEDED);
			default:
				return EnumSet.noneOf(ChargeState.class);
		}
	}
}
