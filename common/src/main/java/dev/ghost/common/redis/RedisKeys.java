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
}
