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

    // ---- health-aggregator (issue 5) -------------------------------------------------------

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
}
