package dev.shelf.billing;

import java.time.Instant;

/**
 * One change of a charge's state.
 *
 * @param from {@code null} for the state the charge was created in
 * @param actor who moved it: {@code webhook} (the order arrived), {@code worker} (sent it), {@code reconciler}
 */
public record ChargeTransition(long chargeId, ChargeState from, ChargeState to, String actor, String reason,
		Instant at) {
}
