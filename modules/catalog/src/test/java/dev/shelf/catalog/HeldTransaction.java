package dev.shelf.catalog;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import static org.awaitility.Awaitility.await;

/**
 * A catalog call made inside a transaction that stays open, on its own thread, until the test commits it: forces the
 * interleaving "the other caller acts while the first has written but not committed", which a barrier produces only
 * by luck on two cores.
 */
final class HeldTransaction<T> implements AutoCloseable {

	private static final Duration PATIENCE = Duration.ofSeconds(20);

	private final ExecutorService thread = Executors.newSingleThreadExecutor();
	private final CompletableFuture<T> result = new CompletableFuture<>();
	private final CountDownLatch release = new CountDownLatch(1);
	private final CompletableFuture<Void> finished;

	private HeldTransaction(TransactionTemplate transactions, Supplier<T> call) {
		finished = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(status -> {
			result.complete(call.get());
			try {
				release.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
		}), thread);
		finished.whenComplete((done, failure) -> {
			if (failure != null) {
				result.completeExceptionally(failure);
			}
		});
	}

	/** Starts the call and returns once it has run (its transaction still open). */
	static <T> HeldTransaction<T> open(TransactionTemplate transactions, Supplier<T> call) throws Exception {
		var held = new HeldTransaction<>(transactions, call);
		held.result.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
		return held;
	}

	T result() throws Exception {
		return result.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
	}

	void commit() throws Exception {
		release.countDown();
		finished.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
	}

	/**
	 * Runs a competing call on another thread and returns once it is either blocked on a lock in a statement naming
	 * {@code table}, or done (code without the lock does not wait).
	 */
	static <R> CompletableFuture<R> competingCall(JdbcClient jdbc, String table, Supplier<R> call) {
		return competingCall(jdbc, table, 1, call);
	}

	/** As above, once {@code blockedSessions} sessions in all are blocked (this call and those already waiting). */
	static <R> CompletableFuture<R> competingCall(JdbcClient jdbc, String table, int blockedSessions, Supplier<R> call) {
		ExecutorService competitor = Executors.newSingleThreadExecutor();
		CompletableFuture<R> done = CompletableFuture.supplyAsync(call, competitor);
		done.whenComplete((result, failure) -> competitor.shutdown());
		await().atMost(PATIENCE).until(() -> done.isDone() || jdbc.sql("""
				SELECT count(*) FROM pg_stat_activity
				WHERE wait_event_type = 'Lock' AND query LIKE '%' || :table || '%'""")
				.param("table", table).query(Long.class).single() >= blockedSessions);
		return done;
	}

	@Override
	public void close() {
		release.countDown();
		thread.shutdown();
	}
}
