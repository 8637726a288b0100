package dev.ghost.ml.alerting.outbox;

import java.time.Instant;

/**
 * Where a notification stands: {@code queued}, {@code retrying} (with the last error, which never
 * contains a secret), {@code delivered}, or {@code dead} (refused for good or too old).
 */
public record DeliveryStatus(String id, String receiver, String kind, String state, int attempts, String lastError,
        Instant queuedAt, Instant updatedAt, Instant deliveredAt) {

    public static DeliveryStatus queued(Notification notification, Instant now) {
        return new DeliveryStatus(notification.id(), notification.receiver(), notification.kind(), "queued", 0, null, now,
                now, null);
    }

    public boolean delivered() {
        return "delivered".equals(state);
    }

    public boolean finished() {
        return delivered() || "dead".equals(state);
    }

    DeliveryStatus retrying(String error, Instant now) {
        return new DeliveryStatus(id, receiver, kind, "retrying", attempts + 1, error, queuedAt, now, null);
    }

    DeliveryStatus deliveredAt(Instant now) {
        return new DeliveryStatus(id, receiver, kind, "delivered", attempts + 1, lastError, queuedAt, now, now);
    }

    DeliveryStatus dead(String error, Instant now) {
        return new DeliveryStatus(id, receiver, kind, "dead", attempts, error, queuedAt, now, null);
    }
}
