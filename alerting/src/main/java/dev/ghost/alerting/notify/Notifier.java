package dev.ghost.alerting.notify;

/**
 * Hands a notification to one channel — Slack, a signed JSON webhook, PagerDuty — in that
 * channel's own payload (modelled on Spring Boot Admin's {@code Notifier}). One call is one
 * attempt; the outbox decides about retries from the result. Implementations never throw and
 * never put a secret in a result's reason. Filtering is added by decoration
 * ({@link FilteringNotifier}); the engine, routing and outbox know only this interface.
 */
@FunctionalInterface
public interface Notifier {

    DeliveryResult notify(Notification notification);
}
