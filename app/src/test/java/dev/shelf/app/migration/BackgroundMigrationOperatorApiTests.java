package dev.shelf.app.migration;

import java.time.Duration;
import java.util.Map;

import dev.shelf.migration.BackgroundMigrations;
import dev.shelf.support.GraphQlHttp;
import dev.shelf.support.SessionTokens;
import dev.shelf.support.ShelfApplicationTest;
import dev.shelf.testing.BackgroundMigrationJobs;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import static dev.shelf.support.SessionTokens.uniqueShop;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operators follow background migrations — progress, rate, time left — and pause, resume and retry them through
 * GraphQL with their own credential; shops cannot. The same progress is in the metrics.
 */
@ShelfApplicationTest
class BackgroundMigrationOperatorApiTests {

	private static final String JOB = "catalog.products-backfill";

	private static final String LIST = """
			{ backgroundMigrations { name description status rowsDone rowsTotalEstimate percentDone rowsPerSecond
			    etaSeconds batchSize batchesDone failedBatches pass longestBatchMillis lastError throttledReason
			    throttledAt createdAt startedAt lastBatchAt finishedAt implemented } }""";

	private static final String COMMAND = """
			mutation($name: String!) {
			  pause: backgroundMigrationPause(name: $name) { ...payload }
			}
			fragment payload on BackgroundMigrationPayload {
			  backgroundMigration { name status }
			  userErrors { field message code }
			}""";

	@LocalServerPort
	int port;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	BackgroundMigrations migrations;

	@Autowired
	MeterRegistry meters;

	GraphQlHttp graphql;

	@BeforeEach
	void setUp() {
		graphql = new GraphQlHttp(port);
	}

	@AfterEach
	void leaveTheJobFinished() {
		BackgroundMigrationJobs.restart(jdbc, JOB, 1000);
		migrations.runUntilIdle(Duration.ofSeconds(30));
	}

	@Test
	void operatorsSeeEveryJobWithItsProgress() {
		JsonNode jobs = graphql.asOperator(LIST, Map.of()).data().path("backgroundMigrations");

		JsonNode backfill = find(jobs, JOB);
		assertThat(find(jobs, "catalog.bundle-components-rewrite").path("status").asString()).isEqualTo("FINISHED");
		assertThat(backfill.path("status").asString()).as("nothing to migrate in a fresh database").isEqualTo("FINISHED");
		assertThat(backfill.path("percentDone").asDouble()).isEqualTo(100.0);
		assertThat(backfill.path("etaSeconds").asInt()).isZero();
		assertThat(backfill.path("implemented").asBoolean()).isTrue();
		assertThat(backfill.path("description").asString()).startsWith("Gives every legacy Shopify mirror its product");
		assertThat(backfill.path("rowsDone").asString()).as("UnsignedInt64, a string").isEqualTo("0");
		assertThat(meters.get("shelf.migration.progress").tag("job", JOB).gauge().value()).isEqualTo(1.0);
		assertThat(meters.get("shelf.migration.failed").tag("job", JOB).gauge().value()).isZero();
	}

	@Test
	void operatorsPauseResumeAndRetryAJob() {
		BackgroundMigrationJobs.restart(jdbc, JOB, 1000);

		assertThat(command("backgroundMigrationPause", JOB).path("backgroundMigration").path("status").asString())
				.isEqualTo("PAUSED");
		assertThat(migrations.runUntilIdle(Duration.ofSeconds(30))).isTrue();
		assertThat(BackgroundMigrationJobs.status(jdbc, JOB)).as("a paused job does not run").isEqualTo("PAUSED");

		JsonNode pausedAgain = command("backgroundMigrationPause", JOB);
		assertThat(pausedAgain.path("userErrors").path(0).path("code").asString()).isEqualTo("INVALID_STATUS");
		assertThat(pausedAgain.path("userErrors").path(0).path("field").path(0).asString()).isEqualTo("name");

		assertThat(command("backgroundMigrationResume", JOB).path("backgroundMigration").path("status").asString())
				.as("not started yet").isEqualTo("PENDING");
		jdbc.sql("UPDATE migration.background_migrations SET status = 'FAILED', last_error = 'test' WHERE name = ?")
				.param(JOB).update();
		assertThat(command("backgroundMigrationRetry", JOB).path("backgroundMigration").path("status").asString())
				.isEqualTo("PENDING");
		assertThat(migrations.runUntilIdle(Duration.ofSeconds(30))).isTrue();
		assertThat(BackgroundMigrationJobs.status(jdbc, JOB)).isEqualTo("FINISHED");
		assertThat(jdbc.sql("""
				SELECT actor FROM migration.background_migration_transitions t
				JOIN migration.background_migrations j ON j.id = t.migration_id
				WHERE j.name = ? AND t.to_status = 'PAUSED'""").param(JOB).query(String.class).list())
				.containsExactly("operator");
	}

	@Test
	void anUnknownJobIsAUserError() {
		JsonNode unknown = command("backgroundMigrationResume", "no.such-job");

		assertThat(unknown.path("backgroundMigration").isNull()).isTrue();
		assertThat(unknown.path("userErrors").path(0).path("code").asString()).isEqualTo("NOT_FOUND");
	}

	@Test
	void shopsCannotSeeOrCommandBackgroundMigrations() {
		String token = SessionTokens.forShop(uniqueShop("not-an-operator")).token();

		GraphQlHttp.Response list = graphql.query(token, LIST);
		GraphQlHttp.Response pause = graphql.query(token, COMMAND, Map.of("name", JOB), Map.of());

		assertThat(list.firstErrorCode()).isEqualTo("ACCESS_DENIED");
		assertThat(pause.firstErrorCode()).isEqualTo("ACCESS_DENIED");
		assertThat(BackgroundMigrationJobs.status(jdbc, JOB)).isEqualTo("FINISHED");
	}

	private JsonNode command(String mutation, String name) {
		GraphQlHttp.Response response = graphql.asOperator(COMMAND.replace("backgroundMigrationPause", mutation),
				Map.of("name", name));
		assertThat(response.body().path("errors").isMissingNode()).as(response.body().toString()).isTrue();
		return response.data().path("pause");
	}

	private static JsonNode find(JsonNode jobs, String name) {
		for (JsonNode job : jobs) {
			if (job.path("name").asString().equals(name)) {
				return job;
			}
		}
		throw new AssertionError("no job " + name + " in " + jobs);
	}
}
