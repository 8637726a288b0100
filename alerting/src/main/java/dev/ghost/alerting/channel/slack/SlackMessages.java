package dev.ghost.alerting.channel.slack;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.alerting.notify.Notification;
import dev.ghost.alerting.redis.AlertingKeys;

/**
 * What bot-token mode remembers in Redis: each group's message (channel and ts) so later messages
 * update it in place, and which notifications a chat.postMessage was attempted for (so a retry
 * after an unanswered post looks in the channel before posting again). Both expire with the
 * outbox's idempotency window.
 */
public final class SlackMessages {

    /** A posted message: its channel id and timestamp. */
    public record Ref(String channel, String ts) {
    }

    private final StringRedisTemplate redis;
    private final AlertingKeys keys;
    private final Duration ttl;
    private final JsonMapper json;
    /** Channel names as configured → the ids Slack answered with (conversations.history wants an id). */
    private final Map<String, String> channelIds = new ConcurrentHashMap<>();

    public SlackMessages(StringRedisTemplate redis, AlertingKeys keys, Duration ttl, JsonMapper json) {
        this.redis = redis;
        this.keys = keys;
        this.ttl = ttl;
        this.json = json;
    }

    /** Keeps what the group's message now shows, so news about the group can show it again (bot-token mode). */
    void remember(Notification notification) {
        if (notification.groupId() != null && notification.kind() != Notification.Kind.NOTE) {
            redis.opsForValue().set(keys.slackLastNotification(notification.groupId()), json.writeValueAsString(notification), ttl);
        }
    }

    /** What the group's message showed last; null when unknown. */
    Notification last(String groupId) {
        String text = redis.opsForValue().get(keys.slackLastNotification(groupId));
        try {
            return text == null ? null : json.readValue(text, Notification.class);
        } catch (RuntimeException e) {
            return null;
        }
    }

    Ref ofGroup(String groupId) {
        String ref = redis.opsForValue().get(keys.slackMessage(groupId));
        if (ref == null) {
            return null;
        }
        String[] parts = ref.split(" ", 2);
        return parts.length == 2 ? new Ref(parts[0], parts[1]) : null;
    }

    boolean postAttempted(String notificationId) {
        return Boolean.TRUE.equals(redis.hasKey(keys.slackPostAttempt(notificationId)));
    }

    void attemptingPost(String notificationId) {
        redis.opsForValue().set(keys.slackPostAttempt(notificationId), "1", ttl);
    }

    void posted(Notification notification, Ref ref) {
        if (notification.groupId() != null && ref.ts() != null) {
            redis.opsForValue().set(keys.slackMessage(notification.groupId()), ref.channel() + " " + ref.ts(), ttl);
        }
        redis.delete(keys.slackPostAttempt(notification.id()));
    }

    void learnChannel(String configured, String id) {
        if (configured != null && id != null) {
            channelIds.put(configured, id);
        }
    }

    /** The id to read a channel's history with: the one Slack answered a post with, else the configured value. */
    String channelId(String configured) {
        return channelIds.getOrDefault(configured, configured);
    }
}
