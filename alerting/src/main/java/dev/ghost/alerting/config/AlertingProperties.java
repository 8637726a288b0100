package dev.ghost.alerting.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.validation.annotation.Validated;

/**
 * {@code ghost.alerting.*}: rules, the routing tree, inhibition, receivers (Slack, signed webhook,
 * PagerDuty), Slack defaults and delivery. Immutable once bound; checked at start (an invalid
 * rule, matcher or route also stops the start, with a message naming it, when the engine is
 * built). Secrets (webhook URLs, bot token, signing secrets, routing keys) are never printed:
 * they are redacted from every message that could carry them.
 *
 * @param namespace         keeps this deployment's alerting state in Redis apart from others sharing the server (and
 *                          test runs apart from each other); empty: the plain {@code ghost:{alerting}:*} keys
 * @param maxAlerts         alerts kept at most (firing, pending, recently resolved); beyond, new ones are refused and logged
 * @param publicUrl         how people reach the service running alerting (in the silence command of each message)
 * @param dashboardUrl      the health dashboard, linked from every message
 * @param patchSummaryUrl   a patch's Markdown summary; {@code {patchId}} is replaced
 * @param tick              longest sleep of the alerting loop while alerts exist (silence expiry, settle and repeat timers)
 * @param recentlyResolved  resolved alerts stay visible at GET /alerts this long
 * @param historyMaxEntries entries kept in the alert history stream
 * @param silenceRetention  expired silences stay listed this long
 * @param resolveTimeout    an alert pushed through the Alertmanager API without {@code endsAt} resolves this long after
 *                          it was last pushed (Alertmanager's {@code resolve_timeout})
 * @param receivers         where routes send: each one channel (Slack, a signed JSON webhook or PagerDuty); with none
 *                          configured, one Slack receiver named {@code default}
 */
@ConfigurationProperties("ghost.alerting")
@Validated
public record AlertingProperties(
        @DefaultValue("") String namespace,
        @DefaultValue("10000") @Min(1) int maxAlerts,
        @DefaultValue("http://localhost:5080") @NotBlank String publicUrl,
        @DefaultValue("http://localhost:5070/") @NotBlank String dashboardUrl,
        @DefaultValue("http://localhost:5060/relay/patches/{patchId}/summary") @NotBlank String patchSummaryUrl,
        @DefaultValue("250ms") @NotNull Duration tick,
        @DefaultValue("1h") @NotNull Duration recentlyResolved,
        @DefaultValue("10000") @Min(1) int historyMaxEntries,
        @DefaultValue("24h") @NotNull Duration silenceRetention,
        @DefaultValue("5m") @NotNull Duration resolveTimeout,
        @DefaultValue @Valid Flap flap,
        List<@Valid Rule> rules,
        @DefaultValue @Valid Route route,
        List<@Valid Inhibit> inhibitRules,
        Map<String, @Valid Receiver> receivers,
        @DefaultValue @Valid Slack slack,
        @DefaultValue @Valid Delivery delivery,
        @DefaultValue @Valid Watchdog watchdog) {

    public AlertingProperties {
        rules = rules == null ? List.of() : List.copyOf(rules);
        inhibitRules = inhibitRules == null ? List.of() : List.copyOf(inhibitRules);
        // in configuration order: the first receiver is the root route's default
        receivers = receivers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(receivers));
    }

    /**
     * Alerts that come back soon after resolving are one flapping episode, not new incidents.
     *
     * @param window a resolved alert that fires again within this window is the same episode, marked flapping
     * @param settle a flapping alert resolves only after its source has been quiet this long (unless the source says it settled)
     */
    public record Flap(@DefaultValue("10m") @NotNull Duration window, @DefaultValue("30s") @NotNull Duration settle) {
    }

    /**
     * Which signals alert, how severe, after how long, above which threshold.
     *
     * @param alert         the alert's name (label {@code alertname})
     * @param signals       signal names that fire it
     * @param resolvedBy    signal names that resolve it (same subject)
     * @param matchers      only signals whose subject matches all of these fire it (e.g. {@code events!="health failures"})
     * @param pendingFor    YAML key {@code for}, as in Prometheus rules: the condition must hold this long before the alert fires
     * @param above         only signals with a value at least this fire
     * @param below         only signals with a value at most this fire
     * @param minCount      firing signals needed (in one episode) before it fires, e.g. failures in a streak
     * @param resolveAfter  for point-in-time signals: resolve when not seen again for this long (0: only a resolving signal ends it)
     * @param labels        extra labels set on the alert (e.g. team)
     * @param summary       one-line summary; {@code {name}} is replaced by the label or annotation of that name
     */
    public record Rule(String alert, List<String> signals, List<String> resolvedBy, List<String> matchers,
            @DefaultValue("warning") String severity, @Name("for") @DefaultValue("0s") Duration pendingFor, Double above,
            Double below, @DefaultValue("1") int minCount, @DefaultValue("0s") Duration resolveAfter,
            Map<String, String> labels, String summary, @DefaultValue("true") boolean enabled) {

        public Rule {
            signals = signals == null ? List.of() : List.copyOf(signals);
            resolvedBy = resolvedBy == null ? List.of() : List.copyOf(resolvedBy);
            matchers = matchers == null ? List.of() : List.copyOf(matchers);
            labels = labels == null ? Map.of() : Map.copyOf(labels);
        }
    }

    /**
     * A node of the routing tree (Alertmanager's {@code route}). Unset values are inherited from
     * the parent; the root's unset values take the defaults of {@code RouteTree}.
     *
     * @param receiver            where this node's groups go; unset at the root: the first configured receiver
     * @param matchers            all must match for an alert to take this route (root: ignored, it takes everything)
     * @param groupBy             labels that split alerts into groups, one message per group; {@code ...} means all labels
     * @param groupWait           wait this long after a group's first alert before its first message, to gather its companions
     * @param groupInterval       at most one message about new alerts per group per interval
     * @param repeatInterval      send the message again while still firing, this often
     * @param resolveWait         a resolve goes out this long after it happened (not a whole group interval later)
     * @param continueMatching    YAML key {@code continue}, as in Alertmanager: keep matching sibling routes after this one matched
     * @param maxAlertsPerMessage alerts listed in one message; the rest are counted ("37 more alerts in this group")
     */
    public record Route(String receiver, List<String> matchers, List<String> groupBy, Duration groupWait,
            Duration groupInterval, Duration repeatInterval, Duration resolveWait, @Name("continue") Boolean continueMatching,
            @Valid RateLimit rateLimit, Integer maxAlertsPerMessage, List<@Valid Route> routes) {

        public Route {
            matchers = matchers == null ? List.of() : List.copyOf(matchers);
            groupBy = groupBy == null ? null : List.copyOf(groupBy);
            routes = routes == null ? List.of() : List.copyOf(routes);
        }
    }

    /** At most {@code messages} per {@code window} per route; the rest become one summary message. */
    public record RateLimit(@DefaultValue("10") int messages, @DefaultValue("1m") Duration window) {
    }

    /** Alertmanager's inhibit rule: a firing source alert mutes target alerts with equal labels. */
    public record Inhibit(List<String> sourceMatchers, List<String> targetMatchers, List<String> equal) {

        public Inhibit {
            sourceMatchers = sourceMatchers == null ? List.of() : List.copyOf(sourceMatchers);
            targetMatchers = targetMatchers == null ? List.of() : List.copyOf(targetMatchers);
            equal = equal == null ? List.of() : List.copyOf(equal);
        }
    }

    /**
     * Where a route's messages go, as Alertmanager's receivers: one channel each. A receiver with a
     * webhook URL or a PagerDuty routing key uses that channel; otherwise Slack, each setting falling
     * back to {@code ghost.alerting.slack}.
     *
     * @param sendResolved whether this receiver is told when alerts resolve (Alertmanager's {@code send_resolved})
     */
    public record Receiver(@DefaultValue @Valid SlackTarget slack, @DefaultValue @Valid WebhookTarget webhook,
            @DefaultValue @Valid PagerDutyTarget pagerduty, @DefaultValue("true") boolean sendResolved) {
    }

    /**
     * @param webhookUrl incoming webhook URL; empty: {@code ghost.alerting.slack.webhook-url}. A secret.
     * @param channel    channel for chat.postMessage in bot-token mode; empty: {@code ghost.alerting.slack.channel}
     */
    public record SlackTarget(@DefaultValue("") String webhookUrl, @DefaultValue("") String channel) {
    }

    /**
     * A generic JSON webhook (Alertmanager's webhook payload), signed with HMAC-SHA256 over
     * {@code v1:<timestamp>:<body>} in {@code X-Ghost-Signature}, the timestamp in {@code X-Ghost-Timestamp}.
     *
     * @param url     where to POST; empty: not this channel. A secret (it may carry a token).
     * @param secret  the signing secret shared with the receiving end. A secret.
     * @param timeout whole-call timeout of one request
     */
    public record WebhookTarget(@DefaultValue("") String url, @DefaultValue("") String secret,
            @DefaultValue("10s") @NotNull Duration timeout) {
    }

    /**
     * PagerDuty Events API v2: trigger and resolve with the alert group as dedup key.
     *
     * @param routingKey the integration's routing key; empty: not this channel. A secret.
     * @param url        the Events API base URL (tests point it at a stand-in)
     * @param timeout    whole-call timeout of one request
     */
    public record PagerDutyTarget(@DefaultValue("") String routingKey,
            @DefaultValue("https://events.pagerduty.com") @NotBlank String url, @DefaultValue("10s") @NotNull Duration timeout) {
    }

    /**
     * Slack defaults for every Slack receiver.
     *
     * @param webhookUrl default incoming webhook ({@code SLACK_WEBHOOK_URL}). A secret.
     * @param botToken   bot token ({@code SLACK_BOT_TOKEN}): messages are posted with chat.postMessage and updated in place. A secret.
     * @param channel    default channel for bot-token mode ({@code SLACK_CHANNEL})
     * @param apiUrl     Web API base URL (the SDK's methodsEndpointUrlPrefix); tests point it at a stand-in
     * @param timeout    whole-call timeout of one request to Slack; a hanging Slack is retried after it
     */
    public record Slack(@DefaultValue("") String webhookUrl, @DefaultValue("") String botToken,
            @DefaultValue("") String channel, @DefaultValue("https://slack.com/api/") @NotBlank String apiUrl,
            @DefaultValue("10s") @NotNull Duration timeout, @DefaultValue("GHOST") String username,
            @DefaultValue(":ghost:") String iconEmoji) {
    }

    /**
     * The Redis outbox between the dispatcher and the channels.
     *
     * @param initialBackoff  first retry delay; grows per attempt (common's Backoff) up to {@code maxBackoff}
     * @param maxRetryAfter   a Retry-After longer than this is cut to it (a misbehaving proxy must not park alerts for hours)
     * @param maxAge          a notification still undelivered after this long is dead-lettered: old news misleads
     * @param idempotencyTtl  how long delivered notification ids are remembered (no duplicate post after a restart)
     * @param outboxMaxLength outbox stream cap per receiver
     * @param pollInterval    workers look at the outbox at least this often even when not woken (other instances' entries)
     */
    public record Delivery(@DefaultValue("1s") @NotNull Duration initialBackoff, @DefaultValue("1m") @NotNull Duration maxBackoff,
            @DefaultValue("10m") @NotNull Duration maxRetryAfter, @DefaultValue("24h") @NotNull Duration maxAge,
            @DefaultValue("7d") @NotNull Duration idempotencyTtl, @DefaultValue("10000") @Min(1) int outboxMaxLength,
            @DefaultValue("1s") @NotNull Duration pollInterval) {
    }

    /**
     * Alertmanager's Watchdog: an alert that always fires, re-sent every {@code interval} to the receiver
     * named {@code receiver}, so a dead man's switch outside GHOST (a heartbeat URL) notices when alerting
     * stops. On only when that receiver sends to a signed webhook or PagerDuty: a chat message every minute
     * would be noise.
     */
    public record Watchdog(@DefaultValue("watchdog") @NotBlank String receiver, @DefaultValue("1m") @NotNull Duration interval) {
    }
}
