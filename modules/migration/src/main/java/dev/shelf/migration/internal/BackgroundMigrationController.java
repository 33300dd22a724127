package dev.shelf.migration.internal;

import java.util.List;

import dev.shelf.migration.BackgroundMigrationProgress;
import dev.shelf.migration.BackgroundMigrations;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.data.method.annotation.SchemaMapping;
import org.springframework.stereotype.Controller;

/**
 * The operators' GraphQL API of the engine ({@code graphql/migration/background-migrations.graphqls}). Every field
 * is {@code @operatorOnly} in the schema; the application refuses shops before a method here runs.
 */
@Controller
class BackgroundMigrationController {

	private static final String TYPE = "BackgroundMigration";
	/** Who the transitions table names: Shelf has one operator account, HTTP Basic user {@code operator}. */
	private static final String OPERATOR = "operator";

	private final BackgroundMigrations migrations;

	BackgroundMigrationController(BackgroundMigrations migrations) {
		this.migrations = migrations;
	}

	record UserError(List<String> field, String message, String code) {
	}

	record Payload(BackgroundMigrationProgress backgroundMigration, List<UserError> userErrors) {

		static Payload of(BackgroundMigrations.Change change) {
			return new Payload(change.migration(), change.succeeded() ? List.of()
					: List.of(new UserError(List.of("name"), change.refusal(), change.code())));
		}
	}

	@QueryMapping
	List<BackgroundMigrationProgress> backgroundMigrations() {
		return migrations.progress();
	}

	@QueryMapping
	BackgroundMigrationProgress backgroundMigration(@Argument String name) {
		return migrations.progress(name).orElse(null);
	}

	@MutationMapping
	Payload backgroundMigrationPause(@Argument String name) {
		return Payload.of(migrations.pause(name, OPERATOR));
	}

	@MutationMapping
	Payload backgroundMigrationResume(@Argument String name) {
		return Payload.of(migrations.resume(name, OPERATOR));
	}

	@MutationMapping
	Payload backgroundMigrationRetry(@Argument String name) {
		return Payload.of(migrations.retry(name, OPERATOR));
	}

	@SchemaMapping(typeName = TYPE)
	double percentDone(BackgroundMigrationProgress migration) {
		return Math.round(migration.fractionDone() * 10_000) / 100.0;
	}

	@SchemaMapping(typeName = TYPE)
	double rowsPerSecond(BackgroundMigrationProgress migration) {
		return Math.round(migration.rowsPerSecond() * 10) / 10.0;
	}

	@SchemaMapping(typeName = TYPE)
	Long etaSeconds(BackgroundMigrationProgress migration) {
		return migration.eta() == null ? null : migration.eta().toSeconds();
	}

	@SchemaMapping(typeName = TYPE)
	long longestBatchMillis(BackgroundMigrationProgress migration) {
		return migration.longestBatch().toMillis();
	}
}
