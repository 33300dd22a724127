package dev.shelf.testing;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The one real PostgreSQL server of a test JVM: a Testcontainers container where a Docker engine runs, the
 * embedded (zonky) binaries otherwise. Started on first use and shared by every Spring context of the JVM (see
 * {@link TestDatabaseContextCustomizerFactory}), so
 * tests isolate their data by tenant (a fresh shop per test), exactly as production isolates shops.
 */
public final class TestDatabase {

	private static final Logger log = LoggerFactory.getLogger(TestDatabase.class);
	private static final String POSTGRES_IMAGE = "postgres:18-alpine";

	private static JdbcConnectionDetails server;

	private TestDatabase() {
	}

	public static synchronized JdbcConnectionDetails connectionDetails() {
		if (server == null) {
			server = DockerClientFactory.instance().isDockerAvailable() ? startContainer() : startEmbedded();
		}
		return server;
	}

	private static JdbcConnectionDetails startContainer() {
		var container = new PostgreSQLContainer(POSTGRES_IMAGE);
		container.start();
		log.info("Tests use PostgreSQL in a container: {}", container.getJdbcUrl());
		return new Details(container.getJdbcUrl(), container.getUsername(), container.getPassword());
	}

	private static JdbcConnectionDetails startEmbedded() {
		try {
			EmbeddedPostgres postgres = EmbeddedPostgres.builder()
					// Stopped by Spring after the last context closed; zonky's own hook races the pools (STACK.md #7).
					.setRegisterShutdownHook(false)
					// Durability is not under test here; this makes the suite several times faster.
					.setServerConfig("fsync", "off")
					.setServerConfig("synchronous_commit", "off")
					.setServerConfig("full_page_writes", "off")
					.start();
			SpringApplication.getShutdownHandlers().add(() -> close(postgres));
			String url = postgres.getJdbcUrl("postgres", "postgres");
			log.info("No Docker engine: tests use embedded PostgreSQL at {}", url);
			return new Details(url, "postgres", "postgres");
		}
		catch (IOException e) {
			throw new UncheckedIOException("Could not start embedded PostgreSQL for tests", e);
		}
	}

	private static void close(EmbeddedPostgres postgres) {
		try {
			postgres.close();
		}
		catch (IOException e) {
			log.warn("Embedded PostgreSQL did not stop cleanly", e);
		}
	}

	private record Details(String getJdbcUrl, String getUsername, String getPassword) implements JdbcConnectionDetails {
	}
}
