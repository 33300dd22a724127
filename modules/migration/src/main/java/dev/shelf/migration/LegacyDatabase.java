package dev.shelf.migration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The database of the legacy app whose tenants Shelf imports: a server of its own, reached by its own JDBC URL
 * ({@code shelf.migration.legacy.url}, {@code .username}, {@code .password}), never Shelf's {@code DataSource}. It is
 * only read: statements run in autocommit on a small pool of their own, so no transaction of Shelf's ever spans both
 * databases. Deliberately not a {@code DataSource} bean, which would replace Shelf's own in Spring Boot's
 * auto-configuration.
 */
public final class LegacyDatabase implements AutoCloseable {

	private final HikariDataSource pool;
	private final JdbcClient jdbc;

	private LegacyDatabase(HikariDataSource pool) {
		this.pool = pool;
		this.jdbc = JdbcClient.create(pool);
	}

	/**
	 * A pool that connects on first use, so Shelf starts whether or not the legacy server is up.
	 *
	 * @param maxConnections at least the import's concurrency: each tenant in flight reads on one connection
	 */
	public static LegacyDatabase connect(String url, String username, String password, int maxConnections) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(url);
		config.setUsername(username);
		config.setPassword(password);
		config.setMaximumPoolSize(maxConnections);
		config.setMinimumIdle(0);
		config.setReadOnly(true);
		config.setPoolName("legacy-database");
		config.setConnectionTimeout(10_000);
		config.setInitializationFailTimeout(-1);
		return new LegacyDatabase(new HikariDataSource(config));
	}

	/** Reads of the legacy database: the tenant source and the import steps use this client. */
	public JdbcClient jdbc() {
		return jdbc;
	}

	public String url() {
		return pool.getJdbcUrl();
	}

	@Override
	public void close() {
		pool.close();
	}
}
