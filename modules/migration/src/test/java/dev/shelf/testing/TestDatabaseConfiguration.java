package dev.shelf.testing;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** Import into a test context to run it on the JVM's shared real PostgreSQL ({@link TestDatabase}). */
@TestConfiguration(proxyBeanMethods = false)
public class TestDatabaseConfiguration {

	@Bean
	JdbcConnectionDetails testDatabase() {
		return TestDatabase.connectionDetails();
	}
}
