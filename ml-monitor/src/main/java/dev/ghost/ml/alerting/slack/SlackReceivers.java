package dev.ghost.ml.alerting.slack;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.ghost.ml.alerting.AlertingProperties;

/**
 * The configured receivers, each falling back to the default webhook and channel of
 * {@code ghost.alerting.slack}; with none configured, one receiver named {@code default}.
 */
public final class SlackReceivers {

    private final Map<String, SlackReceiver> byName = new LinkedHashMap<>();

    public SlackReceivers(AlertingProperties properties) {
        AlertingProperties.Slack slack = properties.getSlack();
        boolean bot = !slack.getBotToken().isBlank();
        properties.getReceivers().forEach((name, receiver) -> byName.put(name, new SlackReceiver(name,
                receiver.getWebhookUrl().isBlank() ? slack.getWebhookUrl() : receiver.getWebhookUrl(),
                receiver.getChannel().isBlank() ? slack.getChannel() : receiver.getChannel(), bot)));
        if (byName.isEmpty()) {
            byName.put("default", new SlackReceiver("default", slack.getWebhookUrl(), slack.getChannel(), bot));
        }
        byName.values().forEach(SlackReceivers::checkWebhook);
    }

    /** Fails the start on a webhook that is not an http(s) URL, without quoting it (it is a secret). */
    private static void checkWebhook(SlackReceiver receiver) {
        if (receiver.mode() != SlackReceiver.Mode.WEBHOOK) {
            return;
        }
        try {
            URI uri = new URI(receiver.webhookUrl());
            if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                throw new URISyntaxException("(hidden)", "not absolute http(s)");
            }
        } catch (URISyntaxException e) {
            throw new IllegalStateException("The Slack webhook URL of receiver '" + receiver.name()
                    + "' is not an http(s) URL (it should look like https://hooks.slack.com/services/...; not shown: it is a secret)");
        }
    }

    public SlackReceiver get(String name) {
        return byName.get(name);
    }

    public Set<String> names() {
        return byName.keySet();
    }

    /** Receivers that can deliver (a webhook, or a bot token and channel). */
    public Set<String> delivering() {
        return byName.values().stream().filter(r -> r.mode() != SlackReceiver.Mode.NONE).map(SlackReceiver::name)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    public String describe() {
        return byName.values().stream().map(SlackReceiver::describe).collect(Collectors.joining(", "));
    }
}
