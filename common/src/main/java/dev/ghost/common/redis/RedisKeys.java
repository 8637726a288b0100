package dev.ghost.common.redis;

/**
 * What every GHOST Redis key has in common: the {@code ghost:} prefix and the {@code {hash tag}}
 * that keeps keys which must live together on one Redis Cluster slot. Each service names its own
 * keys beside its code (runner: {@code RunnerKeys}, relay: {@code RelayKeys}, health-aggregator:
 * {@code HealthKeys}, ml-monitor: {@code MlKeys}, alerting: {@code AlertingKeys}); here are only
 * the keys every service shares (sessions, cache, API tokens, the event stream).
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

    /** {@code {tag}}: Redis Cluster places every key with the same tag in one slot. */
    public static String hashTag(String tag) {
        return "{" + tag + "}";
    }
}
