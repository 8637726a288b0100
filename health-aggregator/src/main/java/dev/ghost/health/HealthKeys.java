package dev.ghost.health;

import dev.ghost.common.redis.RedisKeys;

/** The health-aggregator's Redis keys and Spring Cache names. */
public final class HealthKeys {

    private HealthKeys() {
    }

    /**
     * Sorted set per instance: every poll's figures scored by time (ms). Trimmed to the retention
     * (default 24 h) on every write and expiring with it. The hash tag keeps each instance's key on one slot.
     */
    public static String history(String instanceId) {
        return RedisKeys.PREFIX + "health:history:" + RedisKeys.hashTag(instanceId);
    }

    /** Sorted set of {@code service|instance} scored by the last poll (ms); trimmed to the retention, expiring with it. */
    public static final String HISTORY_INDEX = RedisKeys.PREFIX + "health:history-index";

    /**
     * Hash: what was last told about each instance, service and dependency ({@code instance:<id>},
     * {@code service:<name>}, {@code dependency:<name>} → JSON status, sequence number and the event),
     * shared by the members of a pair and kept across restarts. One hash tag per namespace.
     */
    public static String ledger(String namespace) {
        return RedisKeys.PREFIX + RedisKeys.hashTag(namespace.isEmpty() ? "health" : "health:" + namespace) + ":ledger";
    }

    /** String: the watchdog's page for an outage of the paging service was sent (so a new leader does not send it again). */
    public static String watchdogPaged(String namespace) {
        return RedisKeys.PREFIX + RedisKeys.hashTag(namespace.isEmpty() ? "health" : "health:" + namespace) + ":watchdog-paged";
    }

    /** Spring Cache names of the health API; entries live under {@link RedisKeys#CACHE_PREFIX}, TTL at most the poll interval. */
    public static final String CACHE_SUMMARY = "health-summary";
    public static final String CACHE_SERVICE = "health-service";
    public static final String CACHE_HISTORY = "health-history";
}
