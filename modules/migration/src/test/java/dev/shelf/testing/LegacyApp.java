package dev.shelf.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;

import dev.shelf.migration.LegacyDatabase;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The sample legacy app's database ({@code legacy-app/schema.sql}: its tables and the {@code generate_tenants}
 * generator), created on the test JVM's PostgreSQL server as a database of its own, with its own JDBC URL — as the
 * import meets a real legacy app. Dropped on close.
 */
public final class LegacyApp implements AutoCloseable {

	private final OwnDatabase database;
	private final LegacyDatabase legacy;

	public LegacyApp() throws SQLException {
		database = new OwnDatabase("legacy_app");
		try (Connection connection = database.connect(); InputStream schema = LegacyApp.class.getResourceAsStream(
				"/legacy-app/schema.sql")) {
			connection.createStatement().execute(new String(schema.readAllBytes(), StandardCharsets.UTF_8));
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		legacy = LegacyDatabase.connect(database.url(), database.username(), database.password(), 20);
	}

	/** Its tables, to arrange a test's tenants. */
	public JdbcClient jdbc() {
		return database.jdbc();
	}

	/** What the import reads it through. */
	public LegacyDatabase database() {
		return legacy;
	}

	public String url() {
		return database.url();
	}

	public String username() {
		return database.username();
	}

	public String password() {
		return database.password();
	}

	/**
	 * Adds {@code tenants} generated shops named {@code <prefix>-<n>.myshopify.com} (see the generator's quirks in
	 * {@code schema.sql}) with {@code minOrders} to {@code maxOrders} orders each.
	 *
	 * @return the orders added
	 */
	public long generate(String prefix, int tenants, int minOrders, int maxOrders) {
		return database.jdbc().sql("SELECT generate_tenants(?, ?, ?, ?)").params(prefix, tenants, minOrders, maxOrders)
				.query(Long.class).single();
	}

	/** Removes every tenant, keeping the id sequences: later tenants never reuse a legacy id. */
	public void clear() {
		database.jdbc().sql("TRUNCATE shops, shop_settings, orders").update();
	}

	@Override
	public void close() throws SQLException {
		legacy.close();
		database.close();
	}
}
