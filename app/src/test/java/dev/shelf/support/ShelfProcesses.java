package dev.shelf.support;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.shelf.ShelfApplication;
import dev.shelf.testing.OwnDatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real Shelf processes for crash tests: child JVMs running the application as packaged, on a database of their own
 * ({@link OwnDatabase}, so the test JVM's own Spring context, if one is up, cannot take part), killed with
 * {@code kill -9} when the test says so. Close it to kill what is left and drop the database.
 */
public final class ShelfProcesses implements AutoCloseable {

	private final Path logs;
	private final OwnDatabase database;
	private final List<Child> children = new ArrayList<>();

	public ShelfProcesses(Path logs, String databasePrefix) throws SQLException {
		this.logs = logs;
		this.database = new OwnDatabase(databasePrefix);
	}

	/** The children's database. */
	public OwnDatabase database() {
		return database;
	}

	/** A running child: its process and HTTP port. */
	public record Child(Process process, int port) {

		/** SIGKILL: no shutdown hook, nothing graceful. */
		public void kill() throws InterruptedException {
			process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
		}
	}

	/** Starts Shelf (no profile, test credentials) with extra {@code --name=value} arguments, and waits until ready. */
	public Child start(String name, String... arguments) throws IOException {
		int port = freePort();
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1",
				"-cp", applicationClassPath(), ShelfApplication.class.getName(),
				"--server.port=" + port,
				"--spring.datasource.url=" + database.url(),
				"--spring.datasource.username=" + database.username(),
				"--spring.datasource.password=" + database.password()));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command)
				.redirectErrorStream(true)
				.redirectOutput(logs.resolve(name + ".log").toFile());
		builder.environment().remove("SPRING_PROFILES_ACTIVE");
		builder.environment().put("SHOPIFY_API_KEY", SessionTokens.API_KEY);
		builder.environment().put("SHOPIFY_API_SECRET", SessionTokens.SECRET);
		builder.environment().put("SHELF_ENCRYPTION_KEY", ShelfApplicationTest.ENCRYPTION_KEY);
		builder.environment().put("SHELF_DATA_DIR", logs.resolve("data-" + name).toString());
		Child child = new Child(builder.start(), port);
		children.add(child);
		awaitReady(child.process(), port);
		return child;
	}

	public void printLogs() throws IOException {
		try (var files = Files.list(logs)) {
			for (Path log : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
				System.out.println("===== " + log.getFileName() + " =====");
				System.out.println(Files.readString(log));
			}
		}
	}

	@Override
	public void close() throws SQLException, InterruptedException {
		for (Child child : children) {
			child.kill();
		}
		database.close();
	}

	private static void awaitReady(Process child, int port) {
		HttpClient http = HttpClient.newHttpClient();
		HttpRequest readiness = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/readiness"))
				.timeout(Duration.ofSeconds(2)).build();
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
			assertThat(child.isAlive()).as("child JVM still running").isTrue();
			return http.send(readiness, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
		});
	}

	/**
	 * The test JVM's class path without its test classes: the application as packaged. (Component scanning would
	 * otherwise pick up test configurations, e.g. the migration module's sample schemas.)
	 */
	private static String applicationClassPath() {
		return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
				.filter(entry -> !entry.endsWith("test-classes") && !entry.endsWith("-tests.jar"))
				.collect(Collectors.joining(File.pathSeparator));
	}

	private static int freePort() throws IOException {
		try (var socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}
}
