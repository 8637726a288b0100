package dev.ghost.common.redis;

/**
 * What every GHOST Redis key has in common: the {@code ghost:} prefix and the {@code {hash tag}}
 * that keeps keys which must live together on one Redis Cluster slot. Each service names its own
 * keys beside its code (relay: {@code RelayKeys}, health-aggregator: {@code HealthKeys},
 * ml-monitor: {@code MlKeys}, alerting: {@code AlertingKeys}); here are only the keys every
 * service shares (sessions, cache, API tokens, the event stream) and, for now, the runner's.
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
}
