package dev.ghost.alerting.outbox;

import java.time.Instant;

import dev.ghost.alerting.notify.Notification;

/**
 * Where a notification stands: {@code queued}, {@code retrying} (with the last error, which never
 * contains a secret), {@code delivered}, or {@code dead} (refused for good, too old, or unanswered
 * twice by a channel that cannot check).
 *
 * @param unanswered attempts that went out and got no answer (the channel may have them)
 */
public record DeliveryStatus(String id, String receiver, String kind, String state, int attempts, int unanswered,
        String lastError, Instant queuedAt, Instant updatedAt, Instant deliveredAt) {

    public static DeliveryStatus queued(Notification notification, Instant now) {
        return new DeliveryStatus(notification.id(), notification.receiver(), notification.kind().json(), "queued", 0, 0, null,
                now, now, null);
    }

    public boolean delivered() {
        return "delivered".equals(state);
    }

    public boolean finished() {
        return delivered() || "dead".equals(state);
    }

    DeliveryStatus retrying(String error, Instant now) {
        return new DeliveryStatus(id, receiver, kind, "retrying", attempts + 1, unanswered, error, queuedAt, now, null);
    }

    DeliveryStatus unanswered(String error, Instant now) {
        return new DeliveryStatus(id, receiver, kind, "retrying", attempts + 1, unanswered + 1, error, queuedAt, now, null);
    }

    DeliveryStatus deliveredAt(Instant now) {
        return new DeliveryStatus(id, receiver, kind, "delivered", attempts + 1, unanswered, lastError, queuedAt, now, now);
    }

    DeliveryStatus dead(String error, Instant now) {
        return new DeliveryStatus(id, receiver, kind, "dead", attempts, unanswered, error, queuedAt, now, null);
    }
}
