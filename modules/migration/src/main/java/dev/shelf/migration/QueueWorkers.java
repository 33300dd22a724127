package dev.shelf.migration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Threads that drain a queue kept in PostgreSQL (webhook deliveries, usage charges): each takes the next item until
 * none is due, then waits. {@link #wakeUp()} (called after committing a new item) makes one look at once; idle
 * threads still look every poll interval, for items that became due later or were committed by another instance.
 * Stopping wakes them instead of interrupting them: an item in hand is finished and its outcome recorded, so an
 * interrupt never turns into a failure recorded against an item that did nothing wrong.
 */
public abstract class QueueWorkers implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(QueueWorkers.class);

	private final String name;
	private final int count;
	private final Duration pollInterval;
	private final Duration stopTimeout;
	private final Semaphore wakeUps = new Semaphore(0);
	private final List<Thread> threads = new ArrayList<>();
	private volatile boolean running;

	/**
	 * @param name the threads are named {@code <name>-worker-<n>}
	 * @param stopTimeout how long {@link #stop()} waits for each thread to finish the item in hand
	 */
	protected QueueWorkers(String name, int count, Duration pollInterval, Duration stopTimeout) {
		this.name = name;
		this.count = count;
		this.pollInterval = pollInterval;
		this.stopTimeout = stopTimeout;
	}

	/**
	 * Takes and handles the next due item, if any. An exception means the queue itself could not be read or updated
	 * (e.g. the database is unreachable): the thread logs it and backs off for a poll interval.
	 *
	 * @return whether an item was due
	 */
	protected abstract boolean workOnNext();

	public void wakeUp() {
		if (wakeUps.availablePermits() < count) {
			wakeUps.release();
		}
	}

	@Override
	public synchronized void start() {
		running = true;
		for (int i = 1; i <= count; i++) {
			Thread thread = new Thread(this::work, name + "-worker-" + i);
			thread.setDaemon(true);
			thread.start();
			threads.add(thread);
		}
	}

	@Override
	public synchronized void stop() {
		running = false;
		wakeUps.release(threads.size());
		for (Thread thread : threads) {
			try {
				thread.join(stopTimeout.toMillis());
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
				if (!workOnNext()) {
					wakeUps.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
				}
			}
			catch (InterruptedException e) {
				return;
			}
			catch (RuntimeException e) {
				if (!running) {
					return;
				}
				log.error("{} worker could not work on its queue; retrying after {}", name, pollInterval, e);
				try {
					wakeUps.tryAcquire(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
				}
				catch (InterruptedException interrupted) {
					return;
				}
			}
		}
	}
}
