package dev.shelf.webhooks.internal;

import java.time.Duration;

import dev.shelf.migration.ModuleSchema;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebhookProperties.class)
@EnableScheduling
class WebhooksConfiguration {

	/**
	 * Not at start-up, where it would compete with migrations and warm-up; not a whole interval later either, or an
	 * instance restarted more often than that would never purge.
	 */
	private static final Duration FIRST_PURGE_AFTER = Duration.ofMinutes(1);

	/** Last: webhooks depends on every other module. */
	@Bean
	@Order(30)
	ModuleSchema webhooksSchema() {
		return new ModuleSchema("webhooks");
	}

	@Bean
	SchedulingConfigurer deliveryRetentionSchedule(DeliveryRetention retention, WebhookProperties properties) {
		return tasks -> tasks.addFixedDelayTask(new FixedDelayTask(retention, properties.purgeInterval(), FIRST_PURGE_AFTER));
	}

	@Bean
	SchedulingConfigurer shopErasureSchedule(ShopErasures erasures, WebhookProperties properties) {
		return tasks -> tasks.addFixedDelayTask(new FixedDelayTask(erasures, properties.erasureInterval(), properties.erasureInterval()));
	}
}
