package dev.shelf.billing;

/**
 * The answer to {@link Billing#chargeForOrder}.
 *
 * @param created {@code false} when the order was charged before: {@code charge} is that earlier charge
 */
public record ChargeResult(UsageCharge charge, boolean created) {

	/** For the webhook inbox's outcome column: {@code PENDING}, {@code FAILED_CAP_EXCEEDED}, {@code DUPLICATE}, ... */
	public String outcome() {
		if (!created) {
			return "DUPLICATE";
		}
		if (charge.state() == ChargeState.FAILED && charge.stateReason() != null) {
			int colon = charge.stateReason().indexOf(':');
			return "FAILED_" + (colon < 0 ? charge.stateReason() : charge.stateReason().substring(0, colon));
		}
		return charge.state().name();
	}
}
