package dev.ghost.ml;

import dev.ghost.common.redis.RedisKeys;

/** ml-monitor's Redis keys (alerting's own are the alerting module's). */
public final class MlKeys {

    private MlKeys() {
    }

    /** String per received event id, {@code SET NX} with a TTL: duplicates are dropped. */
    public static final String SEEN_EVENT_PREFIX = RedisKeys.PREFIX + "ml:seen:";
    /** Sorted set of log sources by last activity (trimmed to the configured number of sources). */
    public static final String TEMPLATE_SOURCES = RedisKeys.PREFIX + "ml:template-sources";
    /** List of labelled examples added through feedback (capped with LTRIM), replayed into the classifier at start. */
    public static final String FEEDBACK = RedisKeys.PREFIX + "ml:classify-feedback";

    /** Capped stream per signal kind ({@code anomaly}, {@code burst}, {@code new-template}, {@code prediction}, {@code failure}). */
    public static String signals(String kind) {
        return RedisKeys.PREFIX + "ml:signals:" + kind;
    }

    /** Hash per log source: template id -> JSON (template, count, first/last seen); capped by the miner's size. */
    public static String templates(String source) {
        return RedisKeys.PREFIX + "ml:templates:" + source;
    }
}
