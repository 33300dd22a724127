package dev.shelf.migration;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.Function;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * For work one instance at a time may do (the webhook retention purge, the background migration runner): a
 * PostgreSQL session-level advisory lock taken on a connection of its own, in autocommit, and held while the work
 * runs. A process that dies loses its session and with it the lock, so another instance can take over at once.
 */
public final class SessionAdvisoryLock {

	private static final Logger log = LoggerFactory.getLogger(SessionAdvisoryLock.class);

	private final DataSource dataSource;
	private final long key;
	private final String name;

	/**
	 * @param key a constant no other advisory lock of Shelf's database uses (e.g. a name's ASCII bytes)
	 * @param name what the lock guards, for the log
	 */
	public SessionAdvisoryLock(DataSource dataSource, long key, String name) {
		this.dataSource = dataSource;
		this.key = key;
		this.name = name;
	}

	/**
	 * Runs {@code work} while holding the lock, on the lock's session (each statement on it its own transaction).
	 *
	 * @return the work's result; empty when another session holds the lock and nothing ran
	 */
	public <T> Optional<T> tryWhileHolding(Function<JdbcClient, T> work) throws SQLException {
		try (Connection connection = dataSource.getConnection()) {
			connection.setAutoCommit(true);
			JdbcClient session = JdbcClient.create(new SingleConnectionDataSource(connection, true));
			if (!session.sql("SELECT pg_try_advisory_lock(?)").param(key).query(Boolean.class).single()) {
				return Optional.empty();
			}
			try {
				return Optional.ofNullable(work.apply(session));
			}
			finally {
				unlock(session, connection);
			}
		}
	}

	/**
	 * The connection goes back to the pool, so the lock must not outlive the work on it (no instance could take it
	 * again). If releasing fails, the connection is closed for good instead: its session, and the lock, end.
	 */
	private void unlock(JdbcClient session, Connection connection) throws SQLException {
		try {
			session.sql("SELECT pg_advisory_unlock(?)").param(key).query(Boolean.class).single();
		}
		catch (RuntimeException e) {
			log.warn("Could not release the {} lock; closing its connection instead", name, e);
			connection.abort(Runnable::run);
		}
	}
}
