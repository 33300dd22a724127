package dev.shelf.billing.internal;

import java.nio.file.Path;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BillingProperties.class)
@EnableScheduling
class BillingConfiguration {

	private static final Logger log = LoggerFactory.getLogger(BillingConfiguration.class);

	/** Not during start-up; soon enough that charges left UNKNOWN by a crash are settled right after a restart. */
	private static final Duration FIRST_RECONCILIATION_AFTER = Duration.ofSeconds(30);

	@Bean
	TokenEncryption tokenEncryption(BillingProperties properties, Environment environment,
			@Value("${shelf.data-dir:.shelf}") Path dataDirectory) {
		TokenEncryption encryption = TokenEncryption.resolve(properties.encryptionKey(),
				environment.acceptsProfiles(Profiles.of("dev")), dataDirectory);
		if (encryption.generatedForDevelopment()) {
			log.warn("SHELF_ENCRYPTION_KEY is not set: Shopify access tokens are encrypted with a generated development "
					+ "key in {}. Never run like this in production.", dataDirectory.resolve(TokenEncryption.DEV_KEY_FILE)
					.toAbsolutePath());
		}
		Duration call = properties.shopify().connectTimeout().plus(properties.shopify().readTimeout());
		if (properties.submitLease().compareTo(call) <= 0) {
			// Otherwise the reconciler could take a charge over while its send is still under way.
			throw new IllegalStateException("shelf.billing.submit-lease (" + properties.submitLease()
					+ ") must be longer than a Shopify call may last (connect + read timeout: " + call + ")");
		}
		return encryption;
	}

	@Bean
	SchedulingConfigurer chargeReconciliationSchedule(ChargeReconciler reconciler, BillingProperties properties) {
		return tasks -> tasks.addFixedDelayTask(new FixedDelayTask(reconciler, properties.reconcileInterval(),
				FIRST_RECONCILIATION_AFTER));
	}
}
