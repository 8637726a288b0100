package dev.ghost.relay.patch;

import dev.ghost.common.redis.RedisKeys;

/**
 * Where runners publish a patch's record, the two keys the relay reads to answer for a runner that
 * is gone. They belong to runner-service (its {@code RunnerKeys}) and are a published format, like
 * its REST API: the relay imports nothing of the runner, so it spells them out here, and
 * {@code RunnerRecordContractTest} in e2e-tests fails if the two sides ever disagree.
 */
public final class RunnerRecordKeys {

    private RunnerRecordKeys() {
    }

    /** String: the patch's record as JSON (the runner's {@code PatchRecord}). */
    public static String record(String patchId) {
        return RedisKeys.PREFIX + "runner:patch:" + RedisKeys.hashTag(patchId);
    }

    /** String: present while the runner that owns a QUEUED or RUNNING patch is alive (its lease). */
    public static String lease(String patchId) {
        return record(patchId) + ":lease";
    }
}
