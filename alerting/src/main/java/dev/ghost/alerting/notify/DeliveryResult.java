package dev.ghost.alerting.notify;

import java.time.Duration;

/** How one attempt to hand a notification to a channel ended. Reasons never contain secrets. */
public sealed interface DeliveryResult {

    /** The channel took it (or, checking after an unanswered attempt, found it already there). */
    record Delivered() implements DeliveryResult {
    }

    /** Not delivered, for a passing reason (429, 5xx, connection refused): try again after {@code retryAfter} if given, else the backoff. */
    record Retry(Duration retryAfter, String reason) implements DeliveryResult {
    }

    /**
     * The request went out but no answer came (a timeout): the channel may or may not have it. A
     * channel whose retries are harmless ({@link Receiver#safeToRetry()}) is simply tried again; for
     * the others a second unanswered attempt ends the notification, so it never arrives more than twice.
     */
    record Unanswered(String reason) implements DeliveryResult {
    }

    /** The channel refused it for good (bad payload, unknown channel, revoked webhook): retrying cannot help. */
    record Rejected(String reason) implements DeliveryResult {
    }
}
