package dev.shelf.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * A database of a test's own on the JVM's PostgreSQL ({@link TestDatabase}), created empty and dropped on close:
 * for tests that migrate from nothing, drop tables or start other processes, which the shared database of the JVM's
 * Spring contexts must not see.
 */
public final class OwnDatabase implements AutoCloseable {

	private final JdbcConnectionDetails server;
	private final String name;
	private final SingleConnectionDataSource connection;

	public OwnDatabase(String prefix) throws SQLException {
		this.server = TestDatabase.connectionDetails();
		this.name = prefix + "_" + UUID.randomUUID().toString().replace("-", "");
		try (Connection admin = connect(server.getJdbcUrl())) {
			admin.createStatement().execute("CREATE DATABASE " + name);
		}
		this.connection = new SingleConnectionDataSource(connect(url()), true);
	}

	/** One connection of the test's, kept open. */
	public JdbcClient jdbc() {
		return JdbcClient.create(connection);
	}

	/** A new connection, for the test to hold locks on. */
	public Connection connect() throws SQLException {
		return connect(url());
	}

	public String url() {
		// jdbc:postgresql://host:port/name?parameters
		return server.getJdbcUrl().replaceFirst("^(jdbc:postgresql://[^/]+/)[^?]*", "$1" + name);
	}

	public String username() {
		return server.getUsername();
	}

	public String password() {
		return server.getPassword();
	}

	/** Migrates one module schema of this database (see {@link ModuleFlyway}). */
	public void migrate(String schema, String target, String... locations) {
		ModuleFlyway.migrate(url(), username(), password(), schema, target, locations);
	}

	@Override
	public void close() throws SQLException {
		connection.destroy();
		try (Connection admin = connect(server.getJdbcUrl())) {
			admin.createStatement().execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
		}
	}

	private Connection connect(String url) throws SQLException {
		return DriverManager.getConnection(url, server.getUsername(), server.getPassword());
	}
}
