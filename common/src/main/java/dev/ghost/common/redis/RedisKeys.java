package dev.ghost.common.redis;

/**
 * Every Redis key GHOST uses, in one place. All start with {@code ghost:}. Keys that must live
 * together on Redis Cluster share a {@code {hash tag}}.
 */
public final class RedisKeys {

    public static final String PREFIX = "ghost:";

    /** Spring Session namespace: sessions are shared by every service. */
    public static final String SESSION_NAMESPACE = PREFIX + "session";

    /** Spring Cache key prefix ({@code ghost:cache:<cache name>::<key>}). */
    public static final String CACHE_PREFIX = PREFIX + "cache:";

    /** Hash: SHA-256 of an issued API token → its JSON description. */
    public static final String API_TOKENS = PREFIX + "auth:tokens";

    /** Stream of audit and status events (capped with MAXLEN ~). */
    public static final String EVENTS = PREFIX + "events";

    // ---- ml-monitor (issue 6) -------------------------------------------------------------
    /** String per received event id, {@code SET NX} with a TTL: duplicates are dropped. */
    public static final String ML_SEEN_EVENT_PREFIX = PREFIX + "ml:seen:";
    /** Capped stream per signal kind ({@code anomaly}, {@code burst}, {@code new-template}, {@code prediction}, {@code failure}). */
    public static final String ML_SIGNALS_PREFIX = PREFIX + "ml:signals:";
    /** Hash per log source: template id -> JSON (template, count, first/last seen); capped by the miner's size. */
    public static final String ML_TEMPLATES_PREFIX = PREFIX + "ml:templates:";
    /** Sorted set of log sources by last activity (trimmed to the configured number of sources). */
    public static final String ML_TEMPLATE_SOURCES = PREFIX + "ml:template-sources";
    /** Hash: series name -> JSON of its current forecast crossing (entries expire logically by their horizon). */
    public static final String ML_PREDICTIONS = PREFIX + "ml:predictions";
    /** List of labelled examples added through feedback (capped with LTRIM), replayed into the classifier at start. */
    public static final String ML_FEEDBACK = PREFIX + "ml:classify-feedback";

    public static String mlSignals(String kind) {
        return ML_SIGNALS_PREFIX + kind;
    }

    public static String mlTemplates(String source) {
        return ML_TEMPLATES_PREFIX + source;
    }

    // ---- ml-monitor alerting (issue 7) ------------------------------------------------------------
    // Every alerting key shares the {alerting} hash tag: enqueueing a notification is one Lua script
    // over its idempotency key and its receiver's outbox stream, which must live in one Cluster slot.

    private static final String ALERTING = PREFIX + "{alerting}:";

    /** Hash: alert fingerprint → alert JSON (pending, firing, and resolved ones for ghost.alerting.recently-resolved). */
    public static final String ALERTING_ALERTS = ALERTING + "alerts";

    /** Hash: group key → what the group told so far (dormant groups pruned after the idempotency TTL). */
    public static final String ALERTING_GROUPS = ALERTING + "groups";

    /** Stream of alert transitions for GET /alerts/history (MAXLEN ~ ghost.alerting.history-max-entries). */
    public static final String ALERTING_HISTORY = ALERTING + "history";

    /** Hash: silence id → silence JSON (expired ones pruned after ghost.alerting.silence-retention). */
    public static final String ALERTING_SILENCES = ALERTING + "silences";

    /** Stream of notifications Slack refused for good or that grew too old (MAXLEN ~ 1000). */
    public static final String ALERTING_DEAD_LETTERS = ALERTING + "dead-letters";

    /** Stream per receiver: notifications waiting for Slack, read by a consumer group (MAXLEN ~ outbox-max-length). */
    public static String alertingOutbox(String receiver) {
        return ALERTING + "outbox:" + receiver;
    }

    /** String per notification id: its delivery status; its existence is the idempotency record (TTL idempotency-ttl). */
    public static String alertingNotification(String notificationId) {
        return ALERTING + "notification:" + notificationId;
    }

    /** String per group id: channel and ts of the group's Slack message, to update it in place (bot-token mode; TTL). */
    public static String alertingSlackMessage(String groupId) {
        return ALERTING + "slack-message:" + groupId;
    }

    private RedisKeys() {
    }
}
