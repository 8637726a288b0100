package dev.ghost.ml.alerting.outbox;

import java.time.Instant;

/**
 * A rendered Slack message waiting in the outbox.
 *
 * @param id           idempotency key: a notification with a known id is never queued or posted twice
 * @param kind         firing, update, resolved, repeat, storm or test
 * @param groupId      the group whose message it is (null for storms and tests)
 * @param updateInPlace bot-token mode: edit the group's earlier message instead of posting a new one
 * @param text         the plain-text line notifications and screen readers show
 * @param attachments  Slack attachments (colour bar with Block Kit blocks inside), as JSON
 */
public record Notification(String id, String receiver, String kind, String groupId, boolean updateInPlace, String text,
        String attachments, Instant createdAt) {
}
