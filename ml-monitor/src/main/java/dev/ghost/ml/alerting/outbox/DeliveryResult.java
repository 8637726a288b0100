package dev.ghost.ml.alerting.outbox;

import java.time.Duration;

/** How one attempt to hand a notification to Slack ended. Reasons never contain secrets. */
public sealed interface DeliveryResult {

    /** Slack took it. */
    record Delivered() implements DeliveryResult {
    }

    /** Try again: after {@code retryAfter} if Slack said so (429), else after the backoff. */
    record Retry(Duration retryAfter, String reason) implements DeliveryResult {
    }

    /** Slack refused it for good (bad payload, unknown channel, revoked webhook): retrying cannot help. */
    record Rejected(String reason) implements DeliveryResult {
    }
}
