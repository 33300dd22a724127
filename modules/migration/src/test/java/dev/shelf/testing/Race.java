package dev.shelf.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs one action on many threads released at the same instant by a barrier, and collects every result. */
public final class Race {

	private static final long TIMEOUT_SECONDS = 60;

	private Race() {
	}

	/** @throws Exception the first failure of any thread, so a racing thread cannot fail unnoticed */
	public static <T> List<T> run(int threads, Callable<T> action) throws Exception {
		var barrier = new CyclicBarrier(threads);
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<T>> futures = new ArrayList<>();
			for (int i = 0; i < threads; i++) {
				futures.add(pool.submit(() -> {
					barrier.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
					return action.call();
				}));
			}
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				results.add(future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
			}
			return results;
		}
		finally {
			pool.shutdownNow();
		}
	}
}
