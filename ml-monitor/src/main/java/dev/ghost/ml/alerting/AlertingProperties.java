package dev.ghost.ml.alerting;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code ghost.alerting.*}: rules, the routing tree, inhibition, receivers, Slack and delivery.
 * Defaults live in {@code ml-monitor.yml}; the values here are what an absent key means.
 * Secrets (webhook URLs, bot token) are never printed: {@link #toString()} is not overridden
 * anywhere with them and they are redacted from every message that could carry them.
 */
@ConfigurationProperties("ghost.alerting")
public class AlertingProperties {

    /**
     * Keeps this deployment's alerting state in Redis apart from others sharing the server (and
     * test runs apart from each other). Empty: the plain {@code ghost:{alerting}:*} keys.
     */
    private String namespace = "";

    /** At most this many alerts are kept (firing, pending, recently resolved); beyond, new ones are refused and logged. */
    private int maxAlerts = 10_000;

    /** How people reach this ml-monitor (in the silence command of each message). */
    private String publicUrl = "http://localhost:5080";

    /** The health dashboard, linked from every message. */
    private String dashboardUrl = "http://localhost:5070/";

    /** A patch's Markdown summary; {@code {patchId}} is replaced. */
    private String patchSummaryUrl = "http://localhost:5060/relay/patches/{patchId}/summary";

    /** Longest sleep of the alerting loop while alerts exist (silence expiry, settle and repeat timers). */
    private Duration tick = Duration.ofMillis(250);

    /** Resolved alerts stay visible at GET /alerts this long. */
    private Duration recentlyResolved = Duration.ofHours(1);

    /** Entries kept in the alert history stream. */
    private int historyMaxEntries = 10_000;

    /** Expired silences stay listed this long. */
    private Duration silenceRetention = Duration.ofHours(24);

    private Flap flap = new Flap();
    private List<Rule> rules = new ArrayList<>();
    private Route route = new Route();
    private List<Inhibit> inhibitRules = new ArrayList<>();
    private Map<String, Receiver> receivers = new LinkedHashMap<>();
    private Slack slack = new Slack();
    private Delivery delivery = new Delivery();

    /** Alerts that come back soon after resolving are one flapping episode, not new incidents. */
    public static class Flap {
        /** A resolved alert that fires again within this window is the same episode, marked flapping. */
        private Duration window = Duration.ofMinutes(10);
        /** A flapping alert resolves only after its source has been quiet this long (unless the source says it settled). */
        private Duration settle = Duration.ofSeconds(30);

        public Duration getWindow() {
            return window;
        }

        public void setWindow(Duration window) {
            this.window = window;
        }

        public Duration getSettle() {
            return settle;
        }

        public void setSettle(Duration settle) {
            this.settle = settle;
        }
    }

    /** Which signals alert, how severe, after how long, above which threshold. */
    public static class Rule {
        /** The alert's name (label {@code alertname}). */
        private String alert;
        /** Signal names that fire it. */
        private List<String> signals = new ArrayList<>();
        /** Signal names that resolve it (same subject). */
        private List<String> resolvedBy = new ArrayList<>();
        /** Only signals whose subject matches all of these fire it (e.g. {@code events!="health failures"}). */
        private List<String> matchers = new ArrayList<>();
        private String severity = "warning";
        /** Prometheus' {@code for}: the condition must hold this long before the alert fires. */
        private Duration forDuration = Duration.ZERO;
        /** Only signals with a value at least this fire. */
        private Double above;
        /** Only signals with a value at most this fire. */
        private Double below;
        /** Firing signals needed (in one episode) before it fires, e.g. failures in a streak. */
        private int minCount = 1;
        /** For point-in-time signals: resolve when not seen again for this long (0: only a resolving signal ends it). */
        private Duration resolveAfter = Duration.ZERO;
        /** Extra labels set on the alert (e.g. team). */
        private Map<String, String> labels = new LinkedHashMap<>();
        /** One-line summary; {@code {name}} is replaced by the label or annotation of that name. */
        private String summary;
        private boolean enabled = true;

        public String getAlert() {
            return alert;
        }

        public void setAlert(String alert) {
            this.alert = alert;
        }

        public List<String> getSignals() {
            return signals;
        }

        public void setSignals(List<String> signals) {
            this.signals = signals;
        }

        public List<String> getResolvedBy() {
            return resolvedBy;
        }

        public void setResolvedBy(List<String> resolvedBy) {
            this.resolvedBy = resolvedBy;
        }

        public List<String> getMatchers() {
            return matchers;
        }

        public void setMatchers(List<String> matchers) {
            this.matchers = matchers;
        }

        public String getSeverity() {
            return severity;
        }

        public void setSeverity(String severity) {
            this.severity = severity;
        }

        /** YAML key {@code for}, as in Prometheus rules. */
        public Duration getFor() {
            return forDuration;
        }

        public void setFor(Duration forDuration) {
            this.forDuration = forDuration;
        }

        public Double getAbove() {
            return above;
        }

        public void setAbove(Double above) {
            this.above = above;
        }

        public Double getBelow() {
            return below;
        }

        public void setBelow(Double below) {
            this.below = below;
        }

        public int getMinCount() {
            return minCount;
        }

        public void setMinCount(int minCount) {
            this.minCount = minCount;
        }

        public Duration getResolveAfter() {
            return resolveAfter;
        }

        public void setResolveAfter(Duration resolveAfter) {
            this.resolveAfter = resolveAfter;
        }

        public Map<String, String> getLabels() {
            return labels;
        }

        public void setLabels(Map<String, String> labels) {
            this.labels = labels;
        }

        public String getSummary() {
            return summary;
        }

        public void setSummary(String summary) {
            this.summary = summary;
        }

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /**
     * A node of the routing tree (Alertmanager's {@code route}). Unset values are inherited
     * from the parent; the root's unset values take the defaults below.
     */
    public static class Route {
        private String receiver;
        /** All must match for an alert to take this route (root: ignored, it takes everything). */
        private List<String> matchers = new ArrayList<>();
        /** Labels that split alerts into groups, one message per group; {@code ...} means all labels. */
        private List<String> groupBy;
        /** Wait this long after a group's first alert before its first message, to gather its companions. */
        private Duration groupWait;
        /** At most one message about new alerts per group per interval. */
        private Duration groupInterval;
        /** Send the message again while still firing, this often. */
        private Duration repeatInterval;
        /** A resolve goes out this long after it happened (not a whole group interval later). */
        private Duration resolveWait;
        /** Keep matching sibling routes after this one matched. */
        private Boolean continueMatching;
        private RateLimit rateLimit;
        /** Alerts listed in one message; the rest are counted ("37 more alerts in this group"). */
        private Integer maxAlertsPerMessage;
        private List<Route> routes = new ArrayList<>();

        public String getReceiver() {
            return receiver;
        }

        public void setReceiver(String receiver) {
            this.receiver = receiver;
        }

        public List<String> getMatchers() {
            return matchers;
        }

        public void setMatchers(List<String> matchers) {
            this.matchers = matchers;
        }

        public List<String> getGroupBy() {
            return groupBy;
        }

        public void setGroupBy(List<String> groupBy) {
            this.groupBy = groupBy;
        }

        public Duration getGroupWait() {
            return groupWait;
        }

        public void setGroupWait(Duration groupWait) {
            this.groupWait = groupWait;
        }

        public Duration getGroupInterval() {
            return groupInterval;
        }

        public void setGroupInterval(Duration groupInterval) {
            this.groupInterval = groupInterval;
        }

        public Duration getRepeatInterval() {
            return repeatInterval;
        }

        public void setRepeatInterval(Duration repeatInterval) {
            this.repeatInterval = repeatInterval;
        }

        public Duration getResolveWait() {
            return resolveWait;
        }

        public void setResolveWait(Duration resolveWait) {
            this.resolveWait = resolveWait;
        }

        /** YAML key {@code continue}, as in Alertmanager. */
        public Boolean getContinue() {
            return continueMatching;
        }

        public void setContinue(Boolean continueMatching) {
            this.continueMatching = continueMatching;
        }

        public RateLimit getRateLimit() {
            return rateLimit;
        }

        public void setRateLimit(RateLimit rateLimit) {
            this.rateLimit = rateLimit;
        }

        public Integer getMaxAlertsPerMessage() {
            return maxAlertsPerMessage;
        }

        public void setMaxAlertsPerMessage(Integer maxAlertsPerMessage) {
            this.maxAlertsPerMessage = maxAlertsPerMessage;
        }

        public List<Route> getRoutes() {
            return routes;
        }

        public void setRoutes(List<Route> routes) {
            this.routes = routes;
        }
    }

    /** At most {@code messages} per {@code window} per route; the rest become one summary message. */
    public static class RateLimit {
        private int messages = 10;
        private Duration window = Duration.ofMinutes(1);

        public int getMessages() {
            return messages;
        }

        public void setMessages(int messages) {
            this.messages = messages;
        }

        public Duration getWindow() {
            return window;
        }

        public void setWindow(Duration window) {
            this.window = window;
        }
    }

    /** Alertmanager's inhibit rule: a firing source alert mutes target alerts with equal labels. */
    public static class Inhibit {
        private List<String> sourceMatchers = new ArrayList<>();
        private List<String> targetMatchers = new ArrayList<>();
        private List<String> equal = new ArrayList<>();

        public List<String> getSourceMatchers() {
            return sourceMatchers;
        }

        public void setSourceMatchers(List<String> sourceMatchers) {
            this.sourceMatchers = sourceMatchers;
        }

        public List<String> getTargetMatchers() {
            return targetMatchers;
        }

        public void setTargetMatchers(List<String> targetMatchers) {
            this.targetMatchers = targetMatchers;
        }

        public List<String> getEqual() {
            return equal;
        }

        public void setEqual(List<String> equal) {
            this.equal = equal;
        }
    }

    /** Where a route's messages go: a Slack incoming webhook, or a channel when a bot token is set. */
    public static class Receiver {
        /** Incoming webhook URL; empty: {@code ghost.alerting.slack.webhook-url}. A secret. */
        private String webhookUrl = "";
        /** Channel for chat.postMessage in bot-token mode; empty: {@code ghost.alerting.slack.channel}. */
        private String channel = "";

        public String getWebhookUrl() {
            return webhookUrl;
        }

        public void setWebhookUrl(String webhookUrl) {
            this.webhookUrl = webhookUrl;
        }

        public String getChannel() {
            return channel;
        }

        public void setChannel(String channel) {
            this.channel = channel;
        }
    }

    public static class Slack {
        /** Default incoming webhook ({@code SLACK_WEBHOOK_URL}). A secret. */
        private String webhookUrl = "";
        /** Bot token ({@code SLACK_BOT_TOKEN}): messages are posted with chat.postMessage and updated in place. A secret. */
        private String botToken = "";
        /** Default channel for bot-token mode ({@code SLACK_CHANNEL}). */
        private String channel = "";
        /** Web API base URL (the SDK's methodsEndpointUrlPrefix); tests point it at a stand-in. */
        private String apiUrl = "https://slack.com/api/";
        /** Whole-call timeout of one request to Slack; a hanging Slack is retried after it. */
        private Duration timeout = Duration.ofSeconds(10);
        private String username = "GHOST";
        private String iconEmoji = ":ghost:";

        public String getWebhookUrl() {
            return webhookUrl;
        }

        public void setWebhookUrl(String webhookUrl) {
            this.webhookUrl = webhookUrl;
        }

        public String getBotToken() {
            return botToken;
        }

        public void setBotToken(String botToken) {
            this.botToken = botToken;
        }

        public String getChannel() {
            return channel;
        }

        public void setChannel(String channel) {
            this.channel = channel;
        }

        public String getApiUrl() {
            return apiUrl;
        }

        public void setApiUrl(String apiUrl) {
            this.apiUrl = apiUrl;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getIconEmoji() {
            return iconEmoji;
        }

        public void setIconEmoji(String iconEmoji) {
            this.iconEmoji = iconEmoji;
        }
    }

    /** The Redis outbox between the dispatcher and Slack. */
    public static class Delivery {
        /** First retry delay; doubles per attempt (with jitter) up to {@link #maxBackoff}. */
        private Duration initialBackoff = Duration.ofSeconds(1);
        private Duration maxBackoff = Duration.ofMinutes(1);
        /** A Retry-After longer than this is cut to it (a misbehaving proxy must not park alerts for hours). */
        private Duration maxRetryAfter = Duration.ofMinutes(10);
        /** A notification still undelivered after this long is dead-lettered: old news misleads. */
        private Duration maxAge = Duration.ofHours(24);
        /** How long delivered notification ids are remembered (no duplicate post after a restart). */
        private Duration idempotencyTtl = Duration.ofDays(7);
        /** Outbox stream cap per receiver. */
        private int outboxMaxLength = 10_000;
        /** Workers look at the outbox at least this often even when not woken (other instances' entries). */
        private Duration pollInterval = Duration.ofSeconds(1);

        public Duration getInitialBackoff() {
            return initialBackoff;
        }

        public void setInitialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
        }

        public Duration getMaxBackoff() {
            return maxBackoff;
        }

        public void setMaxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
        }

        public Duration getMaxRetryAfter() {
            return maxRetryAfter;
        }

        public void setMaxRetryAfter(Duration maxRetryAfter) {
            this.maxRetryAfter = maxRetryAfter;
        }

        public Duration getMaxAge() {
            return maxAge;
        }

        public void setMaxAge(Duration maxAge) {
            this.maxAge = maxAge;
        }

        public Duration getIdempotencyTtl() {
            return idempotencyTtl;
        }

        public void setIdempotencyTtl(Duration idempotencyTtl) {
            this.idempotencyTtl = idempotencyTtl;
        }

        public int getOutboxMaxLength() {
            return outboxMaxLength;
        }

        public void setOutboxMaxLength(int outboxMaxLength) {
            this.outboxMaxLength = outboxMaxLength;
        }

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public int getMaxAlerts() {
        return maxAlerts;
    }

    public void setMaxAlerts(int maxAlerts) {
        this.maxAlerts = maxAlerts;
    }

    public String getPublicUrl() {
        return publicUrl;
    }

    public void setPublicUrl(String publicUrl) {
        this.publicUrl = publicUrl;
    }

    public String getDashboardUrl() {
        return dashboardUrl;
    }

    public void setDashboardUrl(String dashboardUrl) {
        this.dashboardUrl = dashboardUrl;
    }

    public String getPatchSummaryUrl() {
        return patchSummaryUrl;
    }

    public void setPatchSummaryUrl(String patchSummaryUrl) {
        this.patchSummaryUrl = patchSummaryUrl;
    }

    public Duration getTick() {
        return tick;
    }

    public void setTick(Duration tick) {
        this.tick = tick;
    }

    public Duration getRecentlyResolved() {
        return recentlyResolved;
    }

    public void setRecentlyResolved(Duration recentlyResolved) {
        this.recentlyResolved = recentlyResolved;
    }

    public int getHistoryMaxEntries() {
        return historyMaxEntries;
    }

    public void setHistoryMaxEntries(int historyMaxEntries) {
        this.historyMaxEntries = historyMaxEntries;
    }

    public Duration getSilenceRetention() {
        return silenceRetention;
    }

    public void setSilenceRetention(Duration silenceRetention) {
        this.silenceRetention = silenceRetention;
    }

    public Flap getFlap() {
        return flap;
    }

    public void setFlap(Flap flap) {
        this.flap = flap;
    }

    public List<Rule> getRules() {
        return rules;
    }

    public void setRules(List<Rule> rules) {
        this.rules = rules;
    }

    public Route getRoute() {
        return route;
    }

    public void setRoute(Route route) {
        this.route = route;
    }

    public List<Inhibit> getInhibitRules() {
        return inhibitRules;
    }

    public void setInhibitRules(List<Inhibit> inhibitRules) {
        this.inhibitRules = inhibitRules;
    }

    public Map<String, Receiver> getReceivers() {
        return receivers;
    }

    public void setReceivers(Map<String, Receiver> receivers) {
        this.receivers = receivers;
    }

    public Slack getSlack() {
        return slack;
    }

    public void setSlack(Slack slack) {
        this.slack = slack;
    }

    public Delivery getDelivery() {
        return delivery;
    }

    public void setDelivery(Delivery delivery) {
        this.delivery = delivery;
    }
}
