package dev.shelf.migration.internal;

import java.time.Duration;
import java.util.Optional;

import dev.shelf.migration.DatabasePressureCheck;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The pressure checks built into the engine; each one a query of PostgreSQL's statistics views, a few ms. */
final class PressureChecks {

	private PressureChecks() {
	}

	/**
	 * Sessions of this database waiting for a lock: more than a few means someone holds a lock others queue behind
	 * (perhaps a batch), and a batch would only lengthen the queue.
	 */
	static DatabasePressureCheck lockWaits(JdbcClient jdbc, int maxWaiters) {
		return new Check("lock-waits", () -> {
			long waiting = jdbc.sql("""
					SELECT count(*) FROM pg_stat_activity
					WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()""")
					.query(Long.class).single();
			return waiting > maxWaiters
					? Optional.of(waiting + " sessions are waiting for locks (more than " + maxWaiters + ")")
					: Optional.empty();
		});
	}

	/**
	 * A transaction open for long: while it lasts, vacuum cannot remove the row versions a backfill leaves behind,
	 * so every batch would grow the tables' bloat.
	 */
	static DatabasePressureCheck longTransactions(JdbcClient jdbc, Duration maxAge) {
		return new Check("long-transactions", () -> jdbc.sql("""
				SELECT pid, extract(epoch FROM now() - xact_start)::bigint AS seconds FROM pg_stat_activity
				WHERE datname = current_database() AND backend_type = 'client backend' AND xact_start IS NOT NULL
				  AND pid <> pg_backend_pid() AND now() - xact_start > make_interval(secs => :max)
				ORDER BY xact_start LIMIT 1""")
				.param("max", maxAge.toMillis() / 1000.0)
				.query((row, n) -> "transaction of backend " + row.getLong("pid") + " open for " + row.getLong("seconds")
						+ " s (more than " + maxAge.toSeconds() + " s)")
				.optional());
	}

	/** A replica replaying far behind the primary (no rows, and no pressure, where there is none). */
	static DatabasePressureCheck replicationLag(JdbcClient jdbc, Duration maxLag) {
		return new Check("replication-lag", () -> jdbc.sql("""
				SELECT application_name, extract(epoch FROM replay_lag)::bigint AS seconds FROM pg_stat_replication
				WHERE replay_lag > make_interval(secs => :max) ORDER BY replay_lag DESC LIMIT 1""")
				.param("max", maxLag.toMillis() / 1000.0)
				.query((row, n) -> "replica " + row.getString("application_name") + " is " + row.getLong("seconds")
						+ " s behind (more than " + maxLag.toSeconds() + " s)")
				.optional());
	}

	private record Check(String name, java.util.function.Supplier<Optional<String>> query)
			implements DatabasePressureCheck {

		@Override
		public Optional<String> pressure() {
			return query.get();
		}
	}
}
