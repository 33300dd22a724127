package dev.shelf.billing.internal;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code shelf.billing.*}; README.md's billing section lists them with their environment variables.
 *
 * @param plans the plans shops can subscribe to, by handle
 * @param encryptionKey AES-256 key for access tokens at rest: 32 bytes, base64 ({@code SHELF_ENCRYPTION_KEY});
 *     required outside the {@code dev} profile, which generates one in the data directory
 * @param returnUrl where Shopify sends the merchant after approving a subscription; {@code {shop}} is replaced by
 *     the shop's domain
 * @param testCharges create subscriptions as Shopify test charges (development stores, review)
 * @param workers threads sending PENDING charges to Shopify
 * @param pollInterval how often an idle worker looks for due charges (new charges wake it at once)
 * @param submitLease how long a charge being sent is left to its worker; after it the reconciler settles it
 * @param maxSubmitAttempts sends Shopify certainly did not record (throttled, unreachable) before a charge FAILS
 * @param retryBaseDelay delay after a send Shopify throttled without a Retry-After; doubled on each further one
 * @param reconcileInterval time between the end of one reconciliation and the start of the next
 * @param reconcileDelay how long an UNKNOWN charge waits before the reconciler asks Shopify about it
 * @param reconcileBatchSize charges claimed by one reconciliation round
 * @param unsettledThreshold charges unsettled for longer are counted in {@code shelf.billing.charges.overdue} and
 *     turn the health indicator to WARNING
 */
@ConfigurationProperties("shelf.billing")
record BillingProperties(Map<String, PlanProperties> plans, String encryptionKey,
		@DefaultValue("https://{shop}/admin/apps") String returnUrl, @DefaultValue("false") boolean testCharges,
		@DefaultValue("1") int workers, @DefaultValue("1s") Duration pollInterval,
		@DefaultValue("2m") Duration submitLease, @DefaultValue("10") int maxSubmitAttempts,
		@DefaultValue("2s") Duration retryBaseDelay,
		@DefaultValue("1m") Duration reconcileInterval, @DefaultValue("1m") Duration reconcileDelay,
		@DefaultValue("100") int reconcileBatchSize, @DefaultValue("1h") Duration unsettledThreshold,
		@DefaultValue Shopify shopify) {

	BillingProperties {
		plans = plans == null ? Map.of() : Map.copyOf(plans);
	}

	/**
	 * @param usageTerms shown to the merchant on Shopify's approval page
	 */
	record PlanProperties(String name, BigDecimal recurringPrice, BigDecimal usageFee, BigDecimal cappedAmount,
			@DefaultValue("USD") String currency, String usageTerms) {
	}

	/**
	 * @param baseUrl a shop's Admin API origin; {@code {shop}} is replaced by the shop's domain
	 * @param apiVersion the Admin API version every call names
	 * @param readTimeout longer than this without an answer, a call's outcome is UNKNOWN
	 */
	record Shopify(@DefaultValue("https://{shop}") String baseUrl, @DefaultValue("2025-10") String apiVersion,
			@DefaultValue("5s") Duration connectTimeout, @DefaultValue("15s") Duration readTimeout) {

		URI shopUri(String shopDomain, String path) {
			return URI.create(baseUrl.replace("{shop}", shopDomain) + path);
		}
	}

	Duration retryDelay(int failedAttempts) {
		Duration delay = retryBaseDelay.multipliedBy(1L << Math.min(Math.max(failedAttempts - 1, 0), 16));
		Duration max = Duration.ofMinutes(10);
		return delay.compareTo(max) > 0 ? max : delay;
	}
}
