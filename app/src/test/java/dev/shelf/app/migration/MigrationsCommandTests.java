package dev.shelf.app.migration;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.shelf.app.cli.MigrationsCommand;
import dev.shelf.migration.BackgroundMigrations;
import dev.shelf.support.ShelfApplicationTest;
import dev.shelf.testing.BackgroundMigrationJobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code java -jar shelf.jar migrations …} against a running Shelf, as an operator would use it. */
@ShelfApplicationTest
class MigrationsCommandTests {

	private static final String JOB = "catalog.products-backfill";

	@LocalServerPort
	int port;

	@Autowired
	BackgroundMigrations migrations;

	@Autowired
	JdbcClient jdbc;

	final ByteArrayOutputStream out = new ByteArrayOutputStream();
	final ByteArrayOutputStream err = new ByteArrayOutputStream();

	@AfterEach
	void leaveTheJobFinished() {
		BackgroundMigrationJobs.restart(jdbc, JOB, 1000);
		migrations.runUntilIdle(Duration.ofSeconds(30));
	}

	@Test
	void statusShowsEveryJobWithItsProgressBar() {
		assertThat(migrations("status")).isZero();

		assertThat(out()).contains(JOB).contains("catalog.bundle-components-rewrite")
				.contains("FINISHED [" + "#".repeat(30) + "] 100.0 %");
	}

	@Test
	void runWaitResumesAPausedJobAndDrawsItsProgressUntilItHasFinished() throws Exception {
		BackgroundMigrationJobs.restart(jdbc, JOB, 1000);
		migrations.pause(JOB, "test");

		CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> migrations("run", JOB, "--wait", "--poll-ms=50"));
		await().atMost(Duration.ofSeconds(20)).until(() -> !BackgroundMigrationJobs.status(jdbc, JOB).equals("PAUSED"));
		assertThat(run).isNotDone();
		migrations.runUntilIdle(Duration.ofSeconds(30));

		assertThat(run.get(20, TimeUnit.SECONDS)).isZero();
		assertThat(out()).contains(JOB + " ").contains("PENDING").contains("FINISHED [" + "#".repeat(30) + "] 100.0 %");
	}

	@Test
	void pauseAndResumeSayWhatTheyDidOrWhyNot() {
		BackgroundMigrationJobs.restart(jdbc, JOB, 1000);

		assertThat(migrations("pause", JOB)).isZero();
		assertThat(out()).contains("PAUSED");
		assertThat(migrations("pause", JOB)).isOne();
		assertThat(err()).contains("A PAUSED background migration cannot be paused");
		assertThat(migrations("resume", "no.such-job")).isOne();
		assertThat(err()).contains("No background migration is named 'no.such-job'");
	}

	@Test
	void withoutTheOperatorPasswordNothingIsSent() {
		int exit = MigrationsCommand.run(new String[] { "status" }, Map.of(), false, print(out), print(err));

		assertThat(exit).isEqualTo(2);
		assertThat(err()).contains("SHELF_OPERATOR_PASSWORD");
	}

	private int migrations(String... args) {
		String[] all = new String[args.length + 1];
		System.arraycopy(args, 0, all, 0, args.length);
		all[args.length] = "--url=http://localhost:" + port + "/graphql";
		return MigrationsCommand.run(all, Map.of("SHELF_OPERATOR_PASSWORD", ShelfApplicationTest.OPERATOR_PASSWORD),
				false, print(out), print(err));
	}

	private static PrintStream print(ByteArrayOutputStream bytes) {
		return new PrintStream(bytes, true, StandardCharsets.UTF_8);
	}

	private String out() {
		return out.toString(StandardCharsets.UTF_8);
	}

	private String err() {
		return err.toString(StandardCharsets.UTF_8);
	}
}
