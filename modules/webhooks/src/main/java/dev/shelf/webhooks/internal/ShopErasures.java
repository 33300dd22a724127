package dev.shelf.webhooks.internal;

import java.util.Map;
import java.util.Optional;

import dev.shelf.billing.Billing;
import dev.shelf.catalog.ErasedRows;
import dev.shelf.catalog.ShopId;
import dev.shelf.catalog.Shops;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Carries out {@code shop/redact}: deletes everything every module holds about the shop, one batch per transaction,
 * so no statement holds locks for long however large the shop. Each batch and its line in the request's record are
 * committed together, so the record says exactly what was deleted even if the instance dies half-way; a new
 * runner takes the request over when the lease of the dead one ends, and carries on where it stopped.
 * <p>
 * Order: the webhooks module's own rows first (deliveries, including the {@code shop/redact} delivery itself, and
 * customer requests with their exports), then billing, then the catalog, whose last batch deletes the shop's row.
 */
@Component
class ShopErasures implements Runnable {

	private static final Logger log = LoggerFactory.getLogger(ShopErasures.class);

	private final PrivacyRequests requests;
	private final Inbox inbox;
	private final Billing billing;
	private final Shops shops;
	private final WebhookProperties properties;
	private final WebhookMetrics metrics;
	private final TransactionTemplate transaction;

	ShopErasures(PrivacyRequests requests, Inbox inbox, Billing billing, Shops shops, WebhookProperties properties,
			WebhookMetrics metrics, PlatformTransactionManager transactions) {
		this.requests = requests;
		this.inbox = inbox;
		this.billing = billing;
		this.shops = shops;
		this.properties = properties;
		this.metrics = metrics;
		this.transaction = new TransactionTemplate(transactions);
	}

	/** Carries out every pending erasure nobody else is working on. */
	@Override
	public void run() {
		try {
			Optional<PrivacyRequests.Erasure> erasure;
			while (!Thread.currentThread().isInterrupted()
					&& (erasure = requests.claimErasure(properties.processingLease())).isPresent()) {
				erase(erasure.get());
			}
		}
		catch (RuntimeException e) {
			// What is committed stays erased; the lease runs out and the next run carries on.
			metrics.erasureFailed();
			log.error("Shop erasure failed; it is retried when its lease ends", e);
		}
	}

	private void erase(PrivacyRequests.Erasure erasure) {
		long deleted = 0;
		while (!Thread.currentThread().isInterrupted()) {
			ErasedRows batch = transaction.execute(status -> {
				ErasedRows rows = nextBatch(erasure.shop());
				for (Map.Entry<String, Long> table : rows.byTable().entrySet()) {
					requests.addErased(erasure.id(), table.getKey(), table.getValue(), properties.processingLease());
				}
				if (rows.isEmpty()) {
					requests.completeErasure(erasure.id());
				}
				return rows;
			});
			if (batch.isEmpty()) {
				metrics.erasureCompleted(deleted);
				log.info("Shop erasure {} completed: {} rows deleted", erasure.id(), deleted);
				return;
			}
			deleted += batch.total();
		}
	}

	private ErasedRows nextBatch(ShopId shop) {
		int size = properties.purgeBatchSize();
		ErasedRows rows = ErasedRows.of("webhooks.deliveries", inbox.eraseBatch(shop, size));
		if (rows.isEmpty()) {
			rows = ErasedRows.of("webhooks.privacy_requests", requests.eraseCustomerRequests(shop, size));
		}
		if (rows.isEmpty()) {
			rows = billing.eraseBatch(shop, size);
		}
		return rows.isEmpty() ? shops.eraseBatch(shop, size) : rows;
	}
}
