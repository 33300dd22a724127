package dev.shelf.app.database;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;

/**
 * A PostgreSQL server owned by this process, with its data kept in a directory between runs.
 * <p>
 * A lock file next to the data marks the owning JVM. The operating system releases it when the JVM dies, even on
 * {@code kill -9}; a server still running on the data directory while the lock is free is therefore the orphan of a
 * killed run, and is stopped before a fresh start. A lock held by someone else means another Shelf is using this
 * data directory, and starting fails with that explanation instead of corrupting or stealing its database.
 */
final class EmbeddedPostgresServer implements AutoCloseable {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
	private static final Duration ORPHAN_STOP_TIMEOUT = Duration.ofSeconds(30);

	private final EmbeddedPostgres postgres;
	private final FileChannel lockChannel;

	private EmbeddedPostgresServer(EmbeddedPostgres postgres, FileChannel lockChannel) {
		this.postgres = postgres;
		this.lockChannel = lockChannel;
	}

	static EmbeddedPostgresServer start(Path dataDirectory, int port) throws IOException {
		Files.createDirectories(dataDirectory.getParent());
		FileChannel lockChannel = FileChannel.open(dataDirectory.resolveSibling("postgres.lock"),
				StandardOpenOption.CREATE, StandardOpenOption.WRITE);
		try {
			if (!lock(lockChannel)) {
				throw new IllegalStateException("Another Shelf process is using the embedded database in "
						+ dataDirectory.toAbsolutePath() + "; stop it or set SHELF_DATA_DIR to another directory.");
			}
			stopOrphanedServer(dataDirectory);
			long started = System.nanoTime();
			EmbeddedPostgres postgres = EmbeddedPostgres.builder()
					.setDataDirectory(dataDirectory)
					.setCleanDataDirectory(false)
					.setPort(port)
					// Spring closes this server after the connection pool (STACK.md #7).
					.setRegisterShutdownHook(false)
					.start();
			log.warn("No SPRING_DATASOURCE_URL set: started embedded PostgreSQL in {} ms, data in {}, {}",
					TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), dataDirectory.toAbsolutePath(),
					postgres.getJdbcUrl("postgres", "postgres"));
			return new EmbeddedPostgresServer(postgres, lockChannel);
		}
		catch (IOException | RuntimeException e) {
			lockChannel.close();
			throw e;
		}
	}

	JdbcConnectionDetails connectionDetails() {
		String url = postgres.getJdbcUrl("postgres", "postgres");
		return new JdbcConnectionDetails() {
			@Override
			public String getUsername() {
				return "postgres";
			}

			@Override
			public String getPassword() {
				return "";
			}

			@Override
			public String getJdbcUrl() {
				return url;
			}
		};
	}

	@Override
	public void close() throws IOException {
		try {
			postgres.close();
		}
		finally {
			lockChannel.close();
		}
	}

	private static boolean lock(FileChannel channel) throws IOException {
		try {
			return channel.tryLock() != null;
		}
		catch (OverlappingFileLockException heldByThisJvm) {
			return false;
		}
	}

	private static void stopOrphanedServer(Path dataDirectory) throws IOException {
		Optional<ProcessHandle> orphan = postmasterPid(dataDirectory).flatMap(ProcessHandle::of)
				.filter(ProcessHandle::isAlive);
		if (orphan.isEmpty()) {
			return;
		}
		log.warn("PostgreSQL (pid {}) from an earlier Shelf run that did not shut down is still running on {}; "
				+ "stopping it before starting again", orphan.get().pid(), dataDirectory.toAbsolutePath());
		orphan.get().destroy(); // SIGTERM: PostgreSQL's smart shutdown; its only clients died with that run.
		try {
			orphan.get().onExit().get(ORPHAN_STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (TimeoutException e) {
			throw new IllegalStateException("PostgreSQL pid " + orphan.get().pid() + " did not stop within "
					+ ORPHAN_STOP_TIMEOUT.toSeconds() + " s; stop it by hand", e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while stopping an orphaned PostgreSQL", e);
		}
		catch (ExecutionException e) {
			throw new IllegalStateException(e);
		}
	}

	private static Optional<Long> postmasterPid(Path dataDirectory) throws IOException {
		Path pidFile = dataDirectory.resolve("postmaster.pid");
		if (!Files.exists(pidFile)) {
			return Optional.empty();
		}
		return Files.readAllLines(pidFile).stream().findFirst().map(String::trim).filter(s -> s.matches("\\d+"))
				.map(Long::valueOf);
	}
}
