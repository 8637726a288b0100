package dev.ghost.runner.redis;

import dev.ghost.common.redis.RedisKeys;

/**
 * The runner's Redis keys: patch records, dedup, leases, per-target locks. A patch's keys share the
 * hash tag {@code {<patch id>}} so the Lua scripts that touch several of them run on one Redis
 * Cluster slot; a target's keys share the tag {@code {<target>}}.
 * <p>
 * A patch's record and its lease are also read by the relay, to answer for a runner that is gone:
 * their names and the record's JSON are a published format, like the REST API, which the relay
 * spells out on its own side ({@code RunnerRecordKeys}); {@code RunnerRecordContractTest} in
 * e2e-tests holds the two together.
 */
public final class RunnerKeys {

    private RunnerKeys() {
    }

    /** String: a patch's record as JSON (also its dedup key: id -> hash). TTL ghost.runner.record-ttl. Published. */
    public static String patch(String patchId) {
        return RedisKeys.PREFIX + "runner:patch:" + RedisKeys.hashTag(patchId);
    }

    /** String: the owning runner's lease on a QUEUED or RUNNING patch (PX, renewed by the owner). Published. */
    public static String patchLease(String patchId) {
        return patch(patchId) + ":lease";
    }

    /** List: steps of a running patch finished since its record was last written whole (appended, so a step costs O(1)). */
    public static String patchSteps(String patchId) {
        return patch(patchId) + ":steps";
    }

    /** String: set by a cancel that reached a runner not owning the patch; the owner polls it. TTL 1 h. */
    public static String patchCancel(String patchId) {
        return patch(patchId) + ":cancel";
    }

    /** Sorted set: patch id by submission time (ms), newest last; trimmed by count and age. */
    public static final String RECENT = RedisKeys.PREFIX + "runner:patches:recent";

    /** Sorted set: ids of patches that are QUEUED or RUNNING somewhere; swept for expired leases. */
    public static final String ACTIVE = RedisKeys.PREFIX + "runner:patches:active";

    /** String: the per-target lock (value: holder token; PX lease renewed by the holder). */
    public static String targetLock(String target) {
        return target(target) + ":lock";
    }

    /**
     * String: set while a patch has mutated a target and not yet finished or rolled back; names the
     * patch and the runner, so other runners sharing the workspace wait for that runner to restore it.
     */
    public static String targetDirty(String target) {
        return target(target) + ":dirty";
    }

    private static String target(String target) {
        return RedisKeys.PREFIX + "runner:target:" + RedisKeys.hashTag(target);
    }
}
