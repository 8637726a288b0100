package dev.ghost.alerting.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.alerting.ActionAdvisor;
import dev.ghost.alerting.channel.pagerduty.PagerDutyNotifier;
import dev.ghost.alerting.channel.slack.SlackChannel;
import dev.ghost.alerting.channel.webhook.SignedWebhookNotifier;
import dev.ghost.alerting.notify.DeliveryResult;
import dev.ghost.alerting.notify.FilteringNotifier;
import dev.ghost.alerting.notify.Notifier;
import dev.ghost.alerting.notify.Receiver;
import dev.ghost.alerting.notify.Redactor;
import dev.ghost.common.web.PooledHttp;

/**
 * The configured receivers, each with its channel plugged in: a signed JSON webhook when it has a
 * webhook URL, PagerDuty when it has a routing key, else Slack (its own webhook or channel, falling
 * back to {@code ghost.alerting.slack}); with none configured, one Slack receiver named
 * {@code default}. The one place that knows every channel.
 */
public final class Receivers {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final Map<String, Receiver> byName = new LinkedHashMap<>();
    private final Duration longestCall;

    Receivers(AlertingProperties properties, SlackChannel slack, JsonMapper json, Redactor redactor, Clock clock,
            Supplier<ActionAdvisor> advisor) {
        Map<String, AlertingProperties.Receiver> configured = properties.receivers().isEmpty()
                ? Map.of("default", new AlertingProperties.Receiver(new AlertingProperties.SlackTarget("", ""),
                        new AlertingProperties.WebhookTarget("", "", Duration.ofSeconds(10)),
                        new AlertingProperties.PagerDutyTarget("", "https://events.pagerduty.com", Duration.ofSeconds(10)), true))
                : properties.receivers();
        Duration longest = properties.slack().timeout();
        for (Map.Entry<String, AlertingProperties.Receiver> entry : configured.entrySet()) {
            String name = entry.getKey();
            AlertingProperties.Receiver spec = entry.getValue();
            boolean webhook = !spec.webhook().url().isBlank();
            boolean pagerDuty = !spec.pagerduty().routingKey().isBlank();
            String where = "ghost.alerting.receivers." + name;
            if (webhook && pagerDuty) {
                throw new IllegalStateException(where + " has both a webhook URL and a PagerDuty routing key: one channel per receiver"
                        + " (route to two receivers, with continue: true, to reach both)");
            }
            Receiver receiver;
            if (webhook) {
                receiver = webhook(name, spec.webhook(), properties, json, redactor, clock, where, advisor);
                longest = max(longest, spec.webhook().timeout());
            } else if (pagerDuty) {
                receiver = pagerDuty(name, spec.pagerduty(), properties, json, redactor, advisor);
                longest = max(longest, spec.pagerduty().timeout());
            } else {
                receiver = slack(name, spec.slack(), properties.slack(), slack, where);
            }
            if (!spec.sendResolved()) {
                receiver = new Receiver(receiver.name(), receiver.channel(), receiver.mode(), receiver.description() + ", resolves not sent",
                        receiver.updatesInPlace(), receiver.safeToRetry(), FilteringNotifier.withoutResolved(receiver.notifier()));
            }
            byName.put(name, receiver);
        }
        this.longestCall = longest;
    }

    private static Receiver webhook(String name, AlertingProperties.WebhookTarget spec, AlertingProperties properties,
            JsonMapper json, Redactor redactor, Clock clock, String where, Supplier<ActionAdvisor> advisor) {
        checkUrl(spec.url(), where + ".webhook.url", "https://alerts.example.com/ghost");
        if (spec.secret().isBlank()) {
            throw new IllegalStateException(where + ".webhook.secret is required: every webhook request is signed with it");
        }
        RestClient http = RestClient.builder().requestFactory(PooledHttp.requestFactory(CONNECT_TIMEOUT, spec.timeout(), 2)).build();
        return new Receiver(name, "webhook", "signed-json", name + " (signed JSON webhook)", false, false,
                new SignedWebhookNotifier(http, spec.url(), spec.secret(), name, properties.publicUrl(), json, redactor, clock, advisor));
    }

    private static Receiver pagerDuty(String name, AlertingProperties.PagerDutyTarget spec, AlertingProperties properties,
            JsonMapper json, Redactor redactor, Supplier<ActionAdvisor> advisor) {
        RestClient http = RestClient.builder().baseUrl(spec.url())
                .requestFactory(PooledHttp.requestFactory(CONNECT_TIMEOUT, spec.timeout(), 2)).build();
        return new Receiver(name, "pagerduty", "events-v2", name + " (PagerDuty Events API v2)", true, true,
                new PagerDutyNotifier(http, spec.routingKey(), properties.publicUrl(), properties.dashboardUrl(), json, redactor, advisor));
    }

    private static Receiver slack(String name, AlertingProperties.SlackTarget spec, AlertingProperties.Slack defaults,
            SlackChannel slack, String where) {
        String webhookUrl = spec.webhookUrl().isBlank() ? defaults.webhookUrl() : spec.webhookUrl();
        String channel = spec.channel().isBlank() ? defaults.channel() : spec.channel();
        if (!defaults.botToken().isBlank() && !channel.isBlank()) {
            return new Receiver(name, "slack", "bot", name + " (Slack bot token, channel " + channel + ")", true, true,
                    slack.bot(channel));
        }
        if (!webhookUrl.isBlank()) {
            checkUrl(webhookUrl, where + ".slack.webhook-url", "https://hooks.slack.com/services/...");
            return new Receiver(name, "slack", "webhook", name + " (Slack incoming webhook)", false, false, slack.webhook(webhookUrl));
        }
        Notifier nowhere = notification -> new DeliveryResult.Rejected("receiver '" + name + "' has no channel configured");
        return new Receiver(name, "none", "none", name + " (not configured)", false, false, nowhere);
    }

    /** Fails the start on a URL that is not absolute http(s), without quoting it (it is a secret). */
    private static void checkUrl(String url, String key, String example) {
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                throw new URISyntaxException("(hidden)", "not absolute http(s)");
            }
        } catch (URISyntaxException e) {
            throw new IllegalStateException(key + " is not an http(s) URL (it should look like " + example
                    + "; not shown: it is a secret)");
        }
    }

    /** Every secret a receiver holds, for the {@link Redactor}. */
    static List<String> secrets(AlertingProperties properties) {
        List<String> secrets = new ArrayList<>(List.of(properties.slack().webhookUrl(), properties.slack().botToken()));
        properties.receivers().values().forEach(receiver -> {
            secrets.add(receiver.slack().webhookUrl());
            secrets.add(receiver.webhook().url());
            secrets.add(receiver.webhook().secret());
            secrets.add(receiver.pagerduty().routingKey());
        });
        return secrets;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    public Receiver get(String name) {
        return byName.get(name);
    }

    public Set<String> names() {
        return byName.keySet();
    }

    public Collection<Receiver> all() {
        return byName.values();
    }

    /** The longest one channel call may take: how long stopping waits for the one in flight. */
    public Duration longestCall() {
        return longestCall;
    }

    public String describe() {
        return byName.values().stream().map(Receiver::description).collect(Collectors.joining(", "));
    }
}
