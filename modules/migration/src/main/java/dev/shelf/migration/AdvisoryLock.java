package dev.shelf.migration;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Background work that one instance of Shelf does at a time (purges, batch jobs): it runs on one pooled connection
 * holding a session-level PostgreSQL advisory lock, and an instance that finds the lock taken skips the run. Each
 * statement of the work is its own autocommitted transaction, so batches commit as they go and no row lock is held
 * for long; the advisory lock, being the session's, spans them all.
 */
public final class AdvisoryLock {

	private static final Logger log = LoggerFactory.getLogger(AdvisoryLock.class);

	private AdvisoryLock() {
	}

	/**
	 * @param lockKey a constant no other advisory lock of Shelf's database uses (e.g. a short name in ASCII)
	 * @param work given a client bound to the locked session
	 * @return {@code false}, without running {@code work}, when another session holds the lock
	 */
	public static boolean runExclusively(DataSource dataSource, long lockKey, Consumer<JdbcClient> work)
			throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			connection.setAutoCommit(true);
			JdbcClient session = JdbcClient.create(new SingleConnectionDataSource(connection, true));
			if (!session.sql("SELECT pg_try_advisory_lock(?)").param(lockKey).query(Boolean.class).single()) {
				return false;
			}
			try {
				work.accept(session);
				return true;
			}
			finally {
				unlock(session, connection, lockKey);
			}
		}
	}

	/**
	 * The connection goes back to the pool, so the lock must not outlive the run on it (no instance could run the work
	 * again). If releasing fails, the connection is closed for good instead: its session, and the lock, end with it.
	 */
	private static void unlock(JdbcClient session, Connection connection, long lockKey) throws SQLException {
		try {
			session.sql("SELECT pg_advisory_unlock(?)").param(lockKey).query(Boolean.class).single();
		}
		catch (RuntimeException e) {
			log.warn("Could not release advisory lock {}; closing its connection instead", lockKey, e);
			connection.abort(Runnable::run);
		}
	}
}
