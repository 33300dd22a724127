package dev.shelf.app.database;

import java.io.IOException;
import java.nio.file.Path;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;

/**
 * Starts a real PostgreSQL from Maven Central binaries when no {@code spring.datasource.url} is configured, so
 * Shelf runs on a machine with nothing but a JDK. Data lives under {@code SHELF_DATA_DIR/postgres} between runs.
 * An auto-configuration (not a plain configuration) so that a test's own {@link JdbcConnectionDetails} wins.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@Conditional(NoDatasourceUrlConfigured.class)
@ConditionalOnMissingBean(JdbcConnectionDetails.class)
public class EmbeddedPostgresAutoConfiguration {

	@Bean(destroyMethod = "close")
	EmbeddedPostgresServer embeddedPostgresServer(Environment environment) throws IOException {
		Path dataDirectory = Path.of(environment.getProperty("shelf.data-dir", ".shelf")).resolve("postgres");
		int port = environment.getProperty("shelf.embedded-database.port", Integer.class, 54329);
		return EmbeddedPostgresServer.start(dataDirectory, port);
	}

	@Bean
	JdbcConnectionDetails embeddedPostgresConnectionDetails(EmbeddedPostgresServer server) {
		return server.connectionDetails();
	}
}
