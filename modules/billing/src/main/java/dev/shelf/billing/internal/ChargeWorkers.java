package dev.shelf.billing.internal;

import dev.shelf.migration.QueueWorkers;
import org.springframework.stereotype.Component;

/**
 * Threads that send PENDING charges to Shopify. A committed new charge wakes one at once; idle workers still look
 * every poll interval, for charges due again after a throttle and for those committed by another instance. Stopping
 * lets a send in progress end and its outcome be recorded; a failure to reach the database leaves a claimed charge
 * SUBMITTED, for the reconciler to settle.
 */
@Component
class ChargeWorkers extends QueueWorkers {

	private final ChargeSubmitter submitter;

	ChargeWorkers(ChargeSubmitter submitter, BillingProperties properties) {
		super("billing", properties.workers(), properties.pollInterval(),
				properties.shopify().readTimeout().plusSeconds(5));
		this.submitter = submitter;
	}

	@Override
	protected boolean workOnNext() {
		return submitter.submitNext();
	}
}
