package dev.shelf.app.database;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** The embedded PostgreSQL starts only when nobody configured a database. */
class EmbeddedPostgresAutoConfigurationTests {

	@TempDir
	Path dataDirectory;

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(EmbeddedPostgresAutoConfiguration.class));

	@Test
	void withoutADatasourceUrlAnEmbeddedServerStartsInTheDataDirectory() {
		contexts.withPropertyValues("shelf.data-dir=" + dataDirectory, "shelf.embedded-database.port=0")
				.run(context -> {
					assertThat(context).hasSingleBean(EmbeddedPostgresServer.class);
					assertThat(context.getBean(JdbcConnectionDetails.class).getJdbcUrl()).startsWith("jdbc:postgresql://localhost:");
					assertThat(dataDirectory.resolve("postgres/PG_VERSION")).exists();
				});
	}

	@Test
	void aConfiguredDatasourceUrlIsUsedInstead() {
		contexts.withPropertyValues("spring.datasource.url=jdbc:postgresql://db.example:5432/shelf",
				"shelf.data-dir=" + dataDirectory)
				.run(context -> {
					assertThat(context).doesNotHaveBean(EmbeddedPostgresServer.class);
					assertThat(context).doesNotHaveBean(JdbcConnectionDetails.class);
				});
		assertThat(dataDirectory).isEmptyDirectory();
	}
}
