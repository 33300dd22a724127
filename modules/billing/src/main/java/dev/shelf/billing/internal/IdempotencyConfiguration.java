package dev.shelf.billing.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(IdempotencyProperties.class)
@EnableScheduling
class IdempotencyConfiguration {

	/** Not during start-up, where it would compete with migrations and warm-up; soon after, so restarts still purge. */
	private static final Duration FIRST_PURGE_AFTER = Duration.ofMinutes(2);

	@Bean
	SchedulingConfigurer idempotencyKeyPurgeSchedule(IdempotencyKeyPurge purge, IdempotencyProperties properties) {
		return tasks -> tasks.addFixedDelayTask(new FixedDelayTask(purge, properties.purgeInterval(), FIRST_PURGE_AFTER));
	}
}
