package dev.shelf.support;

import dev.shelf.testing.TestClock;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The application's {@link java.time.Clock} in tests: the system clock that a test can move forward (and must
 * {@link TestClock#reset() reset} after), for rules that depend on time passing, such as idempotency-key expiry.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestTime {

	@Bean
	TestClock testClock() {
		return new TestClock();
	}
}
