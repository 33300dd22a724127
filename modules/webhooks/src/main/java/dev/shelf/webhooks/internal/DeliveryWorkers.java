package dev.shelf.webhooks.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Threads that drain the inbox. A new delivery wakes one at once; idle workers still look every poll interval,
 * for retries that became due and for deliveries acknowledged by another instance or before a restart.
 */
@Component
class DeliveryWorkers implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(DeliveryWorkers.class);

	private final DeliveryProcessor processor;
	private final WebhookProperties properties;
	private final Semaphore wakeUps = new Semaphore(0);
	private final List<Thread> threads = new ArrayList<>();
	private volatile boolean running;

	DeliveryWorkers(DeliveryProcessor processor, WebhookProperties properties) {
		this.processor = processor;
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
			Thread thread = new Thread(this::work, "webhook-worker-" + i);
			thread.setDaemon(true);
			thread.start();
			threads.add(thread);
		}
	}

	@Override
	public synchronized void stop() {
		running = false;
		// Woken, not interrupted: a worker finishes the delivery in hand, so an interrupt cannot turn into a failure
		// recorded against a delivery that did nothing wrong.
		wakeUps.release(threads.size());
		for (Thread thread : threads) {
			try {
				thread.join(10_000);
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
				if (!processor.processNext()) {
					wakeUps.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
				}
			}
			catch (InterruptedException e) {
				return;
			}
			catch (RuntimeException e) {
				// The database is unreachable or similar: nothing was lost (the delivery is still PENDING); back off.
				if (!running) {
					return;
				}
				log.error("Webhook worker could not process the inbox; retrying after {}", properties.pollInterval(), e);
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
