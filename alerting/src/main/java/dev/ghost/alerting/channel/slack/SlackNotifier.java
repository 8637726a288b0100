package dev.ghost.alerting.channel.slack;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.slack.api.Slack;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.request.chat.ChatPostMessageRequest;
import com.slack.api.methods.request.chat.ChatUpdateRequest;
import com.slack.api.methods.request.conversations.ConversationsHistoryRequest;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import com.slack.api.methods.response.chat.ChatUpdateResponse;
import com.slack.api.methods.response.conversations.ConversationsHistoryResponse;
import com.slack.api.model.Message;
import com.slack.api.webhook.WebhookResponse;

import dev.ghost.alerting.config.AlertingProperties;
import dev.ghost.alerting.notify.DeliveryResult;
import dev.ghost.alerting.notify.Notification;
import dev.ghost.alerting.notify.Notifier;
import dev.ghost.alerting.notify.Redactor;
import dev.ghost.alerting.notify.RetryAfter;

/**
 * Slack, with the official SDK, for one receiver: an incoming webhook (every notification a new
 * message), or with a bot token chat.postMessage for a group's first message and chat.update for
 * its later ones (the message's channel and ts are kept per group, {@link SlackMessages}).
 * Classifies every answer as delivered, retry (429 with its Retry-After, 5xx, connection
 * failures), unanswered (a timeout after the request went out) or rejected for good.
 * <p>
 * With a bot token an unanswered post is never simply posted again: each post carries the
 * notification id in its message metadata, and the retry first looks for it in the channel's
 * recent history (conversations.history); only when it is not there is it posted. An unanswered
 * chat.update is repeated as is (editing a message twice shows it once).
 */
public final class SlackNotifier implements Notifier {

    /** Message metadata event type that carries a notification's id. */
    static final String METADATA_EVENT = "ghost_notification";
    /** Web API errors that are Slack's trouble, not ours: worth another try. */
    private static final Set<String> TRANSIENT_ERRORS = Set.of("ratelimited", "internal_error", "fatal_error",
            "service_unavailable", "request_timeout", "team_added_to_org");
    /** chat.update errors after which posting a new message is the right thing. */
    private static final Set<String> POST_INSTEAD = Set.of("message_not_found", "cant_update_message", "edit_window_closed");
    /** How far back before a notification was decided its unanswered post is looked for. */
    private static final Duration HISTORY_SLACK = Duration.ofMinutes(1);

    private final Slack slack;
    private final SlackRenderer renderer;
    private final AlertingProperties.Slack settings;
    private final Redactor redactor;
    private final String webhookUrl;
    private final String channel;
    private final SlackMessages messages;

    private SlackNotifier(Slack slack, SlackRenderer renderer, AlertingProperties.Slack settings, Redactor redactor,
            String webhookUrl, String channel, SlackMessages messages) {
        this.slack = slack;
        this.renderer = renderer;
        this.settings = settings;
        this.redactor = redactor;
        this.webhookUrl = webhookUrl;
        this.channel = channel;
        this.messages = messages;
    }

    static SlackNotifier webhook(Slack slack, SlackRenderer renderer, AlertingProperties.Slack settings, Redactor redactor,
            String webhookUrl) {
        return new SlackNotifier(slack, renderer, settings, redactor, webhookUrl, null, null);
    }

    static SlackNotifier bot(Slack slack, SlackRenderer renderer, AlertingProperties.Slack settings, Redactor redactor,
            String channel, SlackMessages messages) {
        return new SlackNotifier(slack, renderer, settings, redactor, null, channel, messages);
    }

    @Override
    public DeliveryResult notify(Notification notification) {
        Notification shown = notification;
        if (notification.kind() == Notification.Kind.NOTE) {
            Notification last = webhookUrl == null && notification.groupId() != null ? messages.last(notification.groupId()) : null;
            if (last != null && messages.ofGroup(notification.groupId()) != null) {
                // the group's message again, with the news: an update in place of what it showed last
                Notification.Kind kind = last.kind() == Notification.Kind.REPEAT ? Notification.Kind.FIRING : last.kind();
                shown = new Notification(notification.id(), kind, last.receiver(), last.routeId(), last.groupId(),
                        last.groupLabels(), last.firing(), last.resolved(), last.muted(), false, last.maxAlerts(), last.at(),
                        last.groups(), last.requestedBy(), notification.note());
            } else if (notification.note() == null || notification.note().quiet()) {
                return new DeliveryResult.Delivered(); // nothing to update, and not worth a message of its own
            }
        }
        SlackRenderer.SlackMessage message = renderer.render(shown);
        try {
            return webhookUrl != null ? webhook(message) : bot(shown, message);
        } catch (InterruptedIOException e) {
            return new DeliveryResult.Unanswered("Slack did not answer: " + describe(e));
        } catch (IOException e) {
            return new DeliveryResult.Retry(null, "Slack unreachable: " + describe(e));
        } catch (RuntimeException e) {
            // e.g. a malformed URL: the message may quote the URL, so only its redacted form goes on
            return new DeliveryResult.Rejected("cannot call Slack: " + describe(e));
        }
    }

    private String describe(Exception e) {
        return redactor.redact(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
    }

    private DeliveryResult webhook(SlackRenderer.SlackMessage message) throws IOException {
        JsonObject payload = new JsonObject();
        payload.addProperty("text", message.text());
        payload.add("attachments", JsonParser.parseString(message.attachments()));
        payload.addProperty("username", settings.username());
        payload.addProperty("icon_emoji", settings.iconEmoji());
        payload.addProperty("unfurl_links", false);
        WebhookResponse response = slack.send(webhookUrl, payload.toString());
        int code = response.getCode() == null ? 0 : response.getCode();
        if (code >= 200 && code < 300) {
            return new DeliveryResult.Delivered();
        }
        String reason = "webhook answered " + code + (response.getBody() == null ? "" : " " + abbreviate(response.getBody()));
        if (code == 429 || code >= 500 || code == 408) {
            return new DeliveryResult.Retry(RetryAfter.of(response.getHeaders()), redactor.redact(reason));
        }
        return new DeliveryResult.Rejected(redactor.redact(reason));
    }

    private DeliveryResult bot(Notification notification, SlackRenderer.SlackMessage message) throws IOException {
        MethodsClient methods = slack.methods(settings.botToken());
        try {
            SlackMessages.Ref previous = notification.continuesGroupMessage() ? messages.ofGroup(notification.groupId()) : null;
            if (previous != null) {
                ChatUpdateResponse updated = methods.chatUpdate(ChatUpdateRequest.builder().channel(previous.channel())
                        .ts(previous.ts()).text(message.text()).attachmentsAsString(message.attachments()).build());
                if (updated.isOk()) {
                    messages.remember(notification);
                    return new DeliveryResult.Delivered();
                }
                if (!POST_INSTEAD.contains(updated.getError())) {
                    return failed(updated, "chat.update");
                }
            }
            if (messages.postAttempted(notification.id())) {
                SlackMessages.Ref found = findPosted(methods, notification);
                if (found != null) {
                    messages.posted(notification, found);
                    return new DeliveryResult.Delivered();
                }
            }
            messages.attemptingPost(notification.id());
            ChatPostMessageResponse posted = methods.chatPostMessage(ChatPostMessageRequest.builder()
                    .channel(channel).text(message.text()).attachmentsAsString(message.attachments())
                    .metadata(new Message.Metadata(METADATA_EVENT, Map.of("id", notification.id())))
                    .username(settings.username()).iconEmoji(settings.iconEmoji()).unfurlLinks(false).build());
            if (!posted.isOk()) {
                return failed(posted, "chat.postMessage");
            }
            String postedIn = posted.getChannel() != null ? posted.getChannel() : channel;
            messages.learnChannel(channel, postedIn);
            messages.posted(notification, new SlackMessages.Ref(postedIn, posted.getTs()));
            messages.remember(notification);
            return new DeliveryResult.Delivered();
        } catch (SlackApiException e) {
            int code = e.getResponse() == null ? 0 : e.getResponse().code();
            String reason = "Web API answered " + code + (e.getError() != null && e.getError().getError() != null
                    ? " " + e.getError().getError() : "");
            if (code == 429 || code >= 500 || code == 408) {
                Duration after = e.getResponse() == null ? null : RetryAfter.of(e.getResponse().headers().toMultimap());
                return new DeliveryResult.Retry(after, redactor.redact(reason));
            }
            return new DeliveryResult.Rejected(redactor.redact(reason));
        }
    }

    /**
     * The message an earlier, unanswered chat.postMessage of this notification left in the channel,
     * found by the id in its metadata; null when the channel's history since shortly before the
     * notification was decided has none (so posting it now is no duplicate). A failing look-up throws,
     * so nothing is posted while it cannot be known.
     */
    private SlackMessages.Ref findPosted(MethodsClient methods, Notification notification) throws IOException, SlackApiException {
        String where = messages.channelId(channel);
        String oldest = String.valueOf(notification.at().minus(HISTORY_SLACK).getEpochSecond());
        ConversationsHistoryResponse history = methods.conversationsHistory(ConversationsHistoryRequest.builder()
                .channel(where).oldest(oldest).limit(200).includeAllMetadata(true).build());
        if (!history.isOk()) {
            throw new IOException("conversations.history failed: " + history.getError());
        }
        for (Message message : history.getMessages() == null ? List.<Message>of() : history.getMessages()) {
            Message.Metadata metadata = message.getMetadata();
            if (metadata != null && METADATA_EVENT.equals(metadata.getEventType()) && metadata.getEventPayload() != null
                    && notification.id().equals(String.valueOf(metadata.getEventPayload().get("id")))) {
                return new SlackMessages.Ref(where, message.getTs());
            }
        }
        return null;
    }

    private DeliveryResult failed(SlackApiTextResponse response, String method) {
        String reason = method + " failed: " + response.getError();
        return TRANSIENT_ERRORS.contains(response.getError())
                ? new DeliveryResult.Retry(null, redactor.redact(reason))
                : new DeliveryResult.Rejected(redactor.redact(reason));
    }

    private static String abbreviate(String body) {
        String flat = body.replaceAll("\\s+", " ").trim();
        return flat.length() > 120 ? flat.substring(0, 120) + "…" : flat;
    }
}
