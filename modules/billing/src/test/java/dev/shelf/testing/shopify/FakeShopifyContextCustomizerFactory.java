package dev.shelf.testing.shopify;

import java.util.List;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Points every Spring test context on a classpath with this test jar at the JVM's {@link FakeShopify}, so no test
 * can call the real Shopify. Registered in {@code META-INF/spring.factories}, like the shared test database.
 */
class FakeShopifyContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		return new FakeShopifyCustomizer();
	}

	private static final class FakeShopifyCustomizer implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("fakeShopify",
					Map.of("shelf.billing.shopify.base-url", FakeShopify.instance().baseUrl())));
		}

		// All instances are equal so that Spring's test context cache can share contexts.
		@Override
		public boolean equals(Object other) {
			return other instanceof FakeShopifyCustomizer;
		}

		@Override
		public int hashCode() {
			return FakeShopifyCustomizer.class.hashCode();
		}
	}
}
