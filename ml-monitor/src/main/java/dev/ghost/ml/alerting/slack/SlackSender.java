package dev.ghost.ml.alerting.slack;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.request.chat.ChatPostMessageRequest;
import com.slack.api.methods.request.chat.ChatUpdateRequest;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.chat.ChatUpdateResponse;
import com.slack.api.webhook.WebhookResponse;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.ghost.common.redis.RedisKeys;
import dev.ghost.ml.alerting.AlertingProperties;
import dev.ghost.ml.alerting.outbox.Deliverer;
import dev.ghost.ml.alerting.outbox.DeliveryResult;
import dev.ghost.ml.alerting.outbox.Notification;

/**
 * Hands notifications to Slack with the official SDK: an incoming webhook, or with a bot token
 * chat.postMessage for a group's first message and chat.update for its later ones (the message's
 * channel and ts are kept in Redis per group). Classifies every answer as delivered, retry (429
 * with its Retry-After, 5xx, timeouts, connection failures) or rejected for good.
 */
public class SlackSender implements Deliverer, AutoCloseable {

    /** Web API errors that are Slack's trouble, not ours: worth another try. */
    private static final Set<String> TRANSIENT_ERRORS = Set.of("ratelimited", "internal_error", "fatal_error",
            "service_unavailable", "request_timeout", "team_added_to_org");
    /** chat.update errors after which posting a new message is the right thing. */
    private static final Set<String> POST_INSTEAD = Set.of("message_not_found", "cant_update_message", "edit_window_closed");

    private final Slack slack;
    private final SlackReceivers receivers;
    private final String botToken;
    private final AlertingProperties.Slack settings;
    private final StringRedisTemplate redis;
    private final Duration messageRefTtl;
    private final Redactor redactor;
    private final String namespace;

    public SlackSender(AlertingProperties properties, SlackReceivers receivers, StringRedisTemplate redis,
            Redactor redactor) {
        this.settings = properties.getSlack();
        this.receivers = receivers;
        this.botToken = settings.getBotToken();
        this.redis = redis;
        this.messageRefTtl = properties.getDelivery().getIdempotencyTtl();
        this.redactor = redactor;
        this.namespace = properties.getNamespace();
        this.slack = Slack.getInstance(config(settings));
    }

    /** The SDK configuration GHOST talks to Slack with (also the bench's baseline client). */
    public static SlackConfig config(AlertingProperties.Slack settings) {
        SlackConfig config = new SlackConfig();
        String prefix = settings.getApiUrl().endsWith("/") ? settings.getApiUrl() : settings.getApiUrl() + "/";
        config.setMethodsEndpointUrlPrefix(prefix);
        // Stats would add calls of their own (an extra auth.test) and background threads.
        config.setStatsEnabled(false);
        config.getMethodsConfig().setStatsEnabled(false);
        // The SDK's default listeners log request URLs (a webhook URL is a secret) at debug level: none.
        config.setHttpClientResponseHandlers(new ArrayList<>());
        config.setPrettyResponseLoggingEnabled(false);
        config.setFailOnUnknownProperties(false);
        int timeout = (int) Math.min(Integer.MAX_VALUE, settings.getTimeout().toMillis());
        config.setHttpClientCallTimeoutMillis(timeout);
        config.setHttpClientReadTimeoutMillis(timeout);
        config.setHttpClientWriteTimeoutMillis(timeout);
        return config;
    }

    public SlackReceiver receiver(String name) {
        return receivers.get(name);
    }

    public Set<String> receiverNames() {
        return receivers.names();
    }

    @Override
    public DeliveryResult deliver(Notification notification) {
        SlackReceiver receiver = receivers.get(notification.receiver());
        if (receiver == null) {
            return new DeliveryResult.Rejected("receiver '" + notification.receiver() + "' is not configured any more");
        }
        try {
            return switch (receiver.mode()) {
                case WEBHOOK -> webhook(receiver, notification);
                case BOT -> bot(receiver, notification);
                case NONE -> new DeliveryResult.Rejected("receiver '" + receiver.name() + "' has no webhook URL and no bot channel");
            };
        } catch (IOException e) {
            return new DeliveryResult.Retry(null, "Slack unreachable: " + redactor.redact(e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage())));
        } catch (RuntimeException e) {
            // e.g. a malformed URL: the message may quote the URL, so only its redacted form goes on
            return new DeliveryResult.Rejected("cannot call Slack: " + redactor.redact(e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage())));
        }
    }

    private DeliveryResult webhook(SlackReceiver receiver, Notification notification) throws IOException {
        JsonObject payload = new JsonObject();
        payload.addProperty("text", notification.text());
        payload.add("attachments", JsonParser.parseString(notification.attachments()));
        payload.addProperty("username", settings.getUsername());
        payload.addProperty("icon_emoji", settings.getIconEmoji());
        payload.addProperty("unfurl_links", false);
        WebhookResponse response = slack.send(receiver.webhookUrl(), payload.toString());
        int code = response.getCode() == null ? 0 : response.getCode();
        if (code >= 200 && code < 300) {
            return new DeliveryResult.Delivered();
        }
        String reason = "webhook answered " + code + (response.getBody() == null ? "" : " " + abbreviate(response.getBody()));
        if (code == 429 || code >= 500 || code == 408) {
            return new DeliveryResult.Retry(retryAfter(response.getHeaders()), redactor.redact(reason));
        }
        return new DeliveryResult.Rejected(redactor.redact(reason));
    }

    private DeliveryResult bot(SlackReceiver receiver, Notification notification) throws IOException {
        MethodsClient methods = slack.methods(botToken);
        try {
            String[] previous = notification.updateInPlace() && notification.groupId() != null ? messageRef(notification.groupId()) : null;
            if (previous != null) {
                ChatUpdateResponse updated = methods.chatUpdate(ChatUpdateRequest.builder().channel(previous[0]).ts(previous[1])
                        .text(notification.text()).attachmentsAsString(notification.attachments()).build());
                if (updated.isOk()) {
                    return new DeliveryResult.Delivered();
                }
                if (!POST_INSTEAD.contains(updated.getError())) {
                    return failed(updated, "chat.update");
                }
            }
            ChatPostMessageResponse posted = methods.chatPostMessage(ChatPostMessageRequest.builder()
                    .channel(receiver.channel()).text(notification.text()).attachmentsAsString(notification.attachments())
                    .username(settings.getUsername()).iconEmoji(settings.getIconEmoji()).unfurlLinks(false).build());
            if (!posted.isOk()) {
                return failed(posted, "chat.postMessage");
            }
            if (notification.groupId() != null && posted.getTs() != null) {
                String channel = posted.getChannel() != null ? posted.getChannel() : receiver.channel();
                redis.opsForValue().set(RedisKeys.alertingSlackMessage(namespace, notification.groupId()), channel + " " + posted.getTs(),
                        messageRefTtl);
            }
            return new DeliveryResult.Delivered();
        } catch (SlackApiException e) {
            int code = e.getResponse() == null ? 0 : e.getResponse().code();
            String reason = "Web API answered " + code + (e.getError() != null && e.getError().getError() != null
                    ? " " + e.getError().getError() : "");
            if (code == 429 || code >= 500 || code == 408) {
                Duration after = e.getResponse() == null ? null : retryAfter(e.getResponse().headers().toMultimap());
                return new DeliveryResult.Retry(after, redactor.redact(reason));
            }
            return new DeliveryResult.Rejected(redactor.redact(reason));
        }
    }

    private String[] messageRef(String groupId) {
        String ref = redis.opsForValue().get(RedisKeys.alertingSlackMessage(namespace, groupId));
        if (ref == null) {
            return null;
        }
        String[] parts = ref.split(" ", 2);
        return parts.length == 2 ? parts : null;
    }

    private DeliveryResult failed(SlackApiTextResponse response, String method) {
        String reason = method + " failed: " + response.getError();
        return TRANSIENT_ERRORS.contains(response.getError())
                ? new DeliveryResult.Retry(null, redactor.redact(reason))
                : new DeliveryResult.Rejected(redactor.redact(reason));
    }

    /** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(Map<String, List<String>> headers) {
        if (headers == null) {
            return null;
        }
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            if (header.getKey() != null && header.getKey().equalsIgnoreCase("Retry-After") && !header.getValue().isEmpty()) {
                String value = header.getValue().get(0).trim();
                try {
                    return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
                } catch (NumberFormatException notSeconds) {
                    try {
                        Duration until = Duration.between(Instant.now(),
                                ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                        return until.isNegative() ? Duration.ZERO : until;
                    } catch (DateTimeParseException unreadable) {
                        return null;
                    }
                }
            }
        }
        return null;
    }

    private static String abbreviate(String body) {
        String flat = body.replaceAll("\\s+", " ").trim();
        return flat.length() > 120 ? flat.substring(0, 120) + "…" : flat;
    }

    @Override
    public void close() throws Exception {
        slack.close();
    }
}
