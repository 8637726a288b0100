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

    private RedisKeys() {
    }

    // ---- ml-monitor -------------------------------------------------------------
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

    // ---- ml-monitor alerting ------------------------------------------------------------
    // One deployment's alerting keys share a hash tag, {alerting} or {alerting:<namespace>}: queueing
    // a notification is one Lua script over its idempotency key and its receiver's outbox stream,
    // which must live in one Cluster slot. The namespace (ghost.alerting.namespace, empty by default)
    // keeps deployments, and test runs sharing one Redis, apart.

    private static String alerting(String namespace) {
        return PREFIX + "{alerting" + (namespace == null || namespace.isEmpty() ? "" : ":" + namespace) + "}:";
    }

    /** Hash: alert fingerprint → alert JSON (pending, firing, and resolved ones for ghost.alerting.recently-resolved; capped by max-alerts). */
    public static String alertingAlerts(String namespace) {
        return alerting(namespace) + "alerts";
    }

    /** Hash: group key → what the group told so far (dormant groups pruned after the idempotency TTL). */
    public static String alertingGroups(String namespace) {
        return alerting(namespace) + "groups";
    }

    /** Stream of alert transitions for GET /alerts/history (MAXLEN ~ ghost.alerting.history-max-entries). */
    public static String alertingHistory(String namespace) {
        return alerting(namespace) + "history";
    }

    /** Hash: silence id → silence JSON (expired ones pruned after ghost.alerting.silence-retention). */
    public static String alertingSilences(String namespace) {
        return alerting(namespace) + "silences";
    }

    /** Stream of notifications Slack refused for good or that grew too old (MAXLEN ~ 1000). */
    public static String alertingDeadLetters(String namespace) {
        return alerting(namespace) + "dead-letters";
    }

    /** Stream per receiver: notifications waiting for Slack, read by a consumer group (MAXLEN ~ outbox-max-length). */
    public static String alertingOutbox(String namespace, String receiver) {
        return alerting(namespace) + "outbox:" + receiver;
    }

    /** String per notification id: its delivery status; its existence is the idempotency record (TTL idempotency-ttl). */
    public static String alertingNotification(String namespace, String notificationId) {
        return alerting(namespace) + "notification:" + notificationId;
    }

    /** String per group id: channel and ts of the group's Slack message, to update it in place (bot-token mode; TTL). */
    public static String alertingSlackMessage(String namespace, String groupId) {
        return alerting(namespace) + "slack-message:" + groupId;
    }

    // ---- runner-service: patch records, dedup, leases, per-target locks ----------------------------
    // A patch's keys share the hash tag {<patch id>} so the Lua scripts that touch several of them run
    // on one Redis Cluster slot; a target's lock has its own tag {<target>}.

    /** String: a patch's record as JSON (also its dedup key: id -> hash). TTL ghost.runner.record-ttl. */
    public static String runnerPatch(String patchId) {
        return PREFIX + "runner:patch:{" + patchId + "}";
    }

    /** String: the owning runner's lease on a QUEUED or RUNNING patch (PX, renewed by the owner). */
    public static String runnerPatchLease(String patchId) {
        return runnerPatch(patchId) + ":lease";
    }

    /** List: steps of a running patch finished since its record was last written whole (appended, so a step costs O(1)). */
    public static String runnerPatchSteps(String patchId) {
        return runnerPatch(patchId) + ":steps";
    }

    /** String: set by a cancel that reached a runner not owning the patch; the owner polls it. TTL 1 h. */
    public static String runnerPatchCancel(String patchId) {
        return runnerPatch(patchId) + ":cancel";
    }

    /** Sorted set: patch id by submission time (ms), newest last; trimmed by count and age. */
    public static final String RUNNER_RECENT = PREFIX + "runner:patches:recent";

    /** Sorted set: ids of patches that are QUEUED or RUNNING somewhere; swept for expired leases. */
    public static final String RUNNER_ACTIVE = PREFIX + "runner:patches:active";

    /** String: the per-target lock (value: holder token; PX lease renewed by the holder). */
    public static String runnerTargetLock(String target) {
        return PREFIX + "runner:target:{" + target + "}:lock";
    }

    /**
     * String: set while a patch has mutated a target and not yet finished or rolled back; names the
     * snapshot that restores it, so whoever takes the target next after a crash restores it first.
     */
    public static String runnerTargetDirty(String target) {
        return PREFIX + "runner:target:{" + target + "}:dirty";
    }

    // ---- health-aggregator -------------------------------------------------------

    /**
     * Sorted set per instance: every poll's figures scored by time (ms). Trimmed to the retention
     * (default 24 h) on every write and expiring with it. The hash tag keeps each instance's key on one slot.
     */
    public static String healthHistory(String instanceId) {
        return PREFIX + "health:history:{" + instanceId + "}";
    }

    /** Sorted set of {@code service|instance} scored by the last poll (ms); trimmed to the retention, expiring with it. */
    public static final String HEALTH_HISTORY_INDEX = PREFIX + "health:history-index";

    /** Spring Cache names of the health API; entries live under {@link #CACHE_PREFIX}, TTL at most the poll interval. */
    public static final String CACHE_HEALTH_SUMMARY = "health-summary";
    public static final String CACHE_HEALTH_SERVICE = "health-service";
    public static final String CACHE_HEALTH_HISTORY = "health-history";

    // ---- relay-service: event outboxes, dead letters, delivery leases, webhook replay guard -------
    // A subscriber's keys share the hash tag {<subscriber service name>} so the Lua scripts that move
    // entries between its outbox and its dead-letter stream run on one Redis Cluster slot.

    /**
     * Stream: a subscriber's outbox of undelivered events (consumer group {@code relay}); entries are
     * XACKed and XDELed once delivered, so it holds only pending work. Capped with MAXLEN ~.
     */
    public static String relayOutbox(String subscriber) {
        return PREFIX + "relay:sub:{" + subscriber + "}:outbox";
    }

    /** Stream: events a subscriber refused until the attempts ran out; kept for redelivery. Capped with MAXLEN ~. */
    public static String relayDeadLetters(String subscriber) {
        return PREFIX + "relay:sub:{" + subscriber + "}:dead";
    }

    /** Hash: a subscriber's delivery state and counters (delivered, dead-lettered, retrying, last error). TTL 30 days, renewed on write. */
    public static String relayDeliveryState(String subscriber) {
        return PREFIX + "relay:sub:{" + subscriber + "}:state";
    }

    /** String: which relay instance delivers to a subscriber (PX lease, renewed by the holder), so order holds with several relays. */
    public static String relayDeliveryLease(String subscriber) {
        return PREFIX + "relay:sub:{" + subscriber + "}:lease";
    }

    /** String: a webhook (timestamp, signature) pair already accepted; TTL twice the accepted clock skew. */
    public static String relayWebhookSeen(String digest) {
        return PREFIX + "relay:webhook:seen:" + digest;
    }
}
