package dev.shelf.migration;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each declared module schema is built by its own scripts, inside itself, with its own history, in the declared
 * order — and nothing falls back to Flyway's default of one schema for everything.
 */
@SpringBootTest
@Import(ModuleSchemaMigrationsTests.SampleModules.class)
class ModuleSchemaMigrationsTests {

	@Autowired
	JdbcClient jdbc;

	@Test
	void eachSchemaHoldsItsTablesAndItsOwnHistory() {
		assertThat(jdbc.sql("SELECT name FROM sample.things").query(String.class).list()).containsExactly("first");
		assertThat(history("sample")).containsExactly("1", "2");
		assertThat(history("sample_reader")).containsExactly("1");
		assertThat(history("migration")).containsExactly("1", "2", "10");
	}

	@Test
	void schemasMigrateInTheirDeclaredOrder() {
		// sample_reader's script reads sample's table, so it only exists if sample went first.
		assertThat(jdbc.sql("SELECT name FROM sample_reader.thing_names").query(String.class).list())
				.containsExactly("first");
	}

	@Test
	void noScriptRunsInThePublicSchema() {
		assertThat(jdbc.sql("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'")
				.query(Long.class).single()).isZero();
	}

	@Test
	void aSchemaNameMustBeAPlainIdentifier() {
		assertThatThrownBy(() -> new ModuleSchema("catalog; DROP SCHEMA billing"))
				.isInstanceOf(IllegalArgumentException.class);
	}

	private List<String> history(String schema) {
		return jdbc.sql("SELECT version FROM " + schema + ".flyway_schema_history WHERE success AND version IS NOT NULL ORDER BY installed_rank")
				.query(String.class).list();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class SampleModules {

		// Declared reader-first on purpose: @Order, not declaration order, decides.
		@Bean
		@Order(20)
		ModuleSchema sampleReaderSchema() {
			return new ModuleSchema("sample_reader");
		}

		@Bean
		@Order(10)
		ModuleSchema sampleSchema() {
			return new ModuleSchema("sample");
		}
	}
}
