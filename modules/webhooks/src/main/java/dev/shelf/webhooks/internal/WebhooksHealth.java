package dev.shelf.webhooks.internal;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * {@code webhooks} in {@code /actuator/health}: DOWN when dead letters pile up (deliveries nobody processes),
 * OUT_OF_SERVICE when the backlog outgrows the workers — both states an operator must act on.
 */
@Component("webhooks")
class WebhooksHealth implements HealthIndicator {

	private final Inbox inbox;
	private final WebhookProperties properties;

	WebhooksHealth(Inbox inbox, WebhookProperties properties) {
		this.inbox = inbox;
		this.properties = properties;
	}

	@Override
	public Health health() {
		long dead = inbox.deadCount();
		long backlog = inbox.pendingCount();
		Status status = dead > properties.deadThreshold() ? Status.DOWN
				: backlog > properties.backlogThreshold() ? Status.OUT_OF_SERVICE : Status.UP;
		return Health.status(status).withDetail("dead", dead).withDetail("backlog", backlog)
				.withDetail("deadThreshold", properties.deadThreshold())
				.withDetail("backlogThreshold", properties.backlogThreshold()).build();
	}
}
