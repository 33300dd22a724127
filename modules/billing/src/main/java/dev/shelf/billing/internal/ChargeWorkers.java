package dev.shelf.billing.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Threads that send PENDING charges to Shopify. A committed new charge wakes one at once; idle workers still look
 * every poll interval, for charges due again after a throttle and for those committed by another instance.
 */
@Component
class ChargeWorkers implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(ChargeWorkers.class);

	private final ChargeSubmitter submitter;
	private final BillingProperties properties;
	private final Semaphore wakeUps = new Semaphore(0);
	private final List<Thread> threads = new ArrayList<>();
	private volatile boolean running;

	ChargeWorkers(ChargeSubmitter submitter, BillingProperties properties) {
		this.submitter = submitter;
		this.properties = properties;
	}

	void wakeUp() {
		if (wakeUps.availablePermits() < properties.workers()) {
			wakeUps.release();
		}
	}

	@Override
	public synchronized void start() {
		running = true;
		for (int i = 1; i <= properties.workers(); i++) {
			Thread thread = new Thread(this::work, "billing-worker-" + i);
			thread.setDaemon(true);
			thread.start();
			threads.add(thread);
		}
	}

	/** Woken, not interrupted: a send in progress ends and its outcome is recorded. */
	@Override
	public synchronized void stop() {
		running = false;
		wakeUps.release(threads.size());
		for (Thread thread : threads) {
			try {
				thread.join(properties.shopify().readTimeout().plusSeconds(5).toMillis());
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}
		threads.clear();
	}

	@Override
	public boolean isRunning() {
		return running;
	}

	private void work() {
		while (running) {
			try {
				if (!submitter.submitNext()) {
					wakeUps.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
				}
			}
			catch (InterruptedException e) {
				return;
			}
			catch (RuntimeException e) {
				// Database unreachable or similar: a claimed charge stays SUBMITTED and the reconciler settles it.
				if (!running) {
					return;
				}
				log.error("Billing worker failed; retrying after {}", properties.pollInterval(), e);
				try {
					wakeUps.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
				}
				catch (InterruptedException interrupted) {
					return;
				}
			}
		}
	}
}
