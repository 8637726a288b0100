package dev.ghost.alerting.redis;

import dev.ghost.common.redis.RedisKeys;

/**
 * Every Redis key alerting uses. One deployment's keys share a hash tag, {@code {alerting}} or
 * {@code {alerting:<namespace>}}: queueing a notification is one Lua script over its idempotency
 * key and its receiver's outbox stream, which must live in one Cluster slot. The namespace
 * ({@code ghost.alerting.namespace}, empty by default) keeps deployments, and test runs sharing
 * one Redis, apart.
 */
public final class AlertingKeys {

    private final String prefix;

    public AlertingKeys(String namespace) {
        this.prefix = RedisKeys.PREFIX + RedisKeys.hashTag("alerting" + (namespace == null || namespace.isEmpty() ? "" : ":" + namespace)) + ":";
    }

    /** Hash: alert fingerprint → alert JSON (pending, firing, and resolved ones for recently-resolved; capped by max-alerts). */
    public String alerts() {
        return prefix + "alerts";
    }

    /** Hash: group key → what the group told so far (dormant groups pruned after the idempotency TTL). */
    public String groups() {
        return prefix + "groups";
    }

    /** Stream of alert transitions for GET /alerts/history (MAXLEN ~ history-max-entries). */
    public String history() {
        return prefix + "history";
    }

    /** Hash: silence id → silence JSON (expired ones pruned after silence-retention). */
    public String silences() {
        return prefix + "silences";
    }

    /** Stream of notifications a channel refused for good or that grew too old (MAXLEN ~ 1000). */
    public String deadLetters() {
        return prefix + "dead-letters";
    }

    /** Stream per receiver: notifications waiting for their channel, read by a consumer group (MAXLEN ~ outbox-max-length). */
    public String outbox(String receiver) {
        return prefix + "outbox:" + receiver;
    }

    /** String per notification id: its delivery status; its existence is the idempotency record (TTL idempotency-ttl). */
    public String notification(String notificationId) {
        return prefix + "notification:" + notificationId;
    }

    /** String per group id: channel and ts of the group's Slack message, to update it in place (bot-token mode; TTL). */
    public String slackMessage(String groupId) {
        return prefix + "slack-message:" + groupId;
    }

    /** String per group id: the notification the group's Slack message shows now, to show it again with news (bot-token mode; TTL). */
    public String slackLastNotification(String groupId) {
        return prefix + "slack-last:" + groupId;
    }

    /** String per notification id: a chat.postMessage was sent for it and not yet confirmed (bot-token mode; TTL). */
    public String slackPostAttempt(String notificationId) {
        return prefix + "slack-post:" + notificationId;
    }
}
