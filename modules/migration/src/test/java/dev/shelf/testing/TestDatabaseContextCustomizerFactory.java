package dev.shelf.testing;

import java.util.List;

import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Gives every Spring test context on a classpath with this test jar the JVM's real PostgreSQL
 * ({@link TestDatabase}) as its {@link JdbcConnectionDetails}. Registered in {@code META-INF/spring.factories}, so
 * no test can forget it and none can end up on another database; a Spring Modulith module test, which filters
 * out beans of other packages, gets it too.
 */
class TestDatabaseContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		return new TestDatabaseCustomizer();
	}

	private static final class TestDatabaseCustomizer implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			context.getBeanFactory().registerSingleton("testDatabase", TestDatabase.connectionDetails());
		}

		// All instances are equal so that Spring's test context cache can share contexts.
		@Override
		public boolean equals(Object other) {
			return other instanceof TestDatabaseCustomizer;
		}

		@Override
		public int hashCode() {
			return TestDatabaseCustomizer.class.hashCode();
		}
	}
}
