package dev.shelf.app.database;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded PostgreSQL Shelf runs on when no datasource is configured: data survives restarts, a second Shelf
 * cannot take over a data directory in use, and a {@code kill -9}'d run leaves nothing that blocks the next start.
 */
class EmbeddedPostgresServerTests {

	@TempDir
	Path shelfDataDirectory;

	/** Left for the server to create, as in production: under `unshare -U` (root) it must own the directory. */
	Path dataDirectory;

	@BeforeEach
	void setUp() {
		dataDirectory = shelfDataDirectory.resolve("postgres");
	}

	@Test
	void dataSurvivesARestart() throws Exception {
		int port = freePort();
		try (var server = EmbeddedPostgresServer.start(dataDirectory, port)) {
			execute(server, "CREATE TABLE kept (value text)", "INSERT INTO kept VALUES ('still here')");
		}
		try (var server = EmbeddedPostgresServer.start(dataDirectory, port)) {
			assertThat(queryOne(server, "SELECT value FROM kept")).isEqualTo("still here");
		}
	}

	@Test
	void aSecondServerOnADataDirectoryInUseIsRefused() throws Exception {
		try (var first = EmbeddedPostgresServer.start(dataDirectory, freePort())) {
			assertThatThrownBy(() -> EmbeddedPostgresServer.start(dataDirectory, freePort()))
					.isInstanceOf(IllegalStateException.class)
					.hasMessageContaining("Another Shelf process is using the embedded database");
			assertThat(queryOne(first, "SELECT 'first still serves'")).isEqualTo("first still serves");
		}
	}

	@Test
	void theNextStartRecoversFromAKilledRun() throws Exception {
		int port = freePort();
		Process crashed = startInChildJvm(port);
		try {
			awaitReady(crashed);
			Path postmasterPid = dataDirectory.resolve("postmaster.pid");
			assertThat(postmasterPid).exists();
			long orphanPid = Long.parseLong(Files.readAllLines(postmasterPid).get(0).trim());

			crashed.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no shutdown hook, no cleanup
			assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive)).as("PostgreSQL outlives the kill")
					.contains(true);

			try (var restarted = EmbeddedPostgresServer.start(dataDirectory, port)) {
				assertThat(queryOne(restarted, "SELECT name FROM survivors")).isEqualTo("written before the crash");
				assertThat(ProcessHandle.of(orphanPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
			}
		}
		finally {
			crashed.destroyForcibly();
		}
	}

	private Process startInChildJvm(int port) throws IOException {
		String java = ProcessHandle.current().info().command().orElse("java");
		return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
				EmbeddedPostgresProcess.class.getName(), dataDirectory.toString(),
				Integer.toString(port))
				.redirectErrorStream(true)
				.start();
	}

	private static void awaitReady(Process process) throws Exception {
		var reader = new BufferedReader(new InputStreamReader(process.getInputStream()));
		CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> reader.lines()
				.anyMatch(line -> line.equals("READY")));
		assertThat(ready.get(Duration.ofSeconds(60).toSeconds(), TimeUnit.SECONDS)).as("child JVM started PostgreSQL")
				.isTrue();
	}

	private static void execute(EmbeddedPostgresServer server, String... statements) throws SQLException {
		try (Connection connection = connect(server)) {
			for (String statement : statements) {
				connection.createStatement().execute(statement);
			}
		}
	}

	private static String queryOne(EmbeddedPostgresServer server, String sql) throws SQLException {
		try (Connection connection = connect(server); ResultSet rows = connection.createStatement().executeQuery(sql)) {
			assertThat(rows.next()).isTrue();
			return rows.getString(1);
		}
	}

	private static Connection connect(EmbeddedPostgresServer server) throws SQLException {
		var details = server.connectionDetails();
		return DriverManager.getConnection(details.getJdbcUrl(), details.getUsername(), details.getPassword());
	}

	private static int freePort() throws IOException {
		try (var socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}
}
