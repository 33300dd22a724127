package dev.shelf.billing;

import java.util.List;

/**
 * The answer to {@link Billing#createSubscription}.
 *
 * @param confirmationUrl where the merchant approves the charges; {@code null} when there are user errors
 * @param subscription the new, PENDING subscription; {@code null} when there are user errors
 */
public record SubscriptionCreation(String confirmationUrl, AppSubscription subscription,
		List<BillingUserError> userErrors) {

	public static SubscriptionCreation refused(BillingUserError error) {
		return new SubscriptionCreation(null, null, List.of(error));
	}
}
