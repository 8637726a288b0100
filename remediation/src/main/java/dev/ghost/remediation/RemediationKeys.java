package dev.ghost.remediation;

import dev.ghost.common.redis.RedisKeys;

/**
 * Every Redis key remediation uses, under one hash tag ({@code {remediation}} or
 * {@code {remediation:<namespace>}}), so its scripts (the automatic-mode rate limit, version
 * numbering) touch one Redis Cluster slot.
 */
public final class RemediationKeys {

    private final String prefix;

    public RemediationKeys(String namespace) {
        this.prefix = RedisKeys.PREFIX + RedisKeys.hashTag("remediation" + (namespace == null || namespace.isEmpty() ? "" : ":" + namespace)) + ":";
    }

    /** Hash: runbook name → its current version (JSON). */
    public String runbooks() {
        return prefix + "runbooks";
    }

    /** Hash per runbook: version number → that version (JSON); the oldest beyond versions-kept are dropped. */
    public String versions(String runbook) {
        return prefix + "runbook-versions:" + runbook;
    }

    /** String per run: the run (JSON), TTL retention. */
    public String run(String id) {
        return prefix + "run:" + id;
    }

    /** Sorted set: runs, by the time they were asked for (trimmed by age and count). */
    public String runs() {
        return prefix + "runs";
    }

    /** Sorted set: runs being followed (in progress, or waiting for health), by when to look next. */
    public String active() {
        return prefix + "active";
    }

    /** String per alert and runbook while a run of it is in progress (SET NX): a second click does not run it twice. */
    public String inProgress(String fingerprint, String runbook) {
        return prefix + "in-progress:" + fingerprint + ":" + runbook;
    }

    /** Stream: the audit trail (MAXLEN ~ audit-max-entries). */
    public String audit() {
        return prefix + "audit";
    }

    /** String per verified Slack request signature (SET NX, TTL twice the tolerance): a replay is refused. */
    public String slackReplay(String signature) {
        return prefix + "slack-replay:" + signature;
    }

    /** Sorted set per alert group: times of its automatic runs in the last hour (the rate limit). */
    public String automaticRuns(String groupId) {
        return prefix + "auto-runs:" + groupId;
    }

    /** String per alert episode and runbook: automatic mode decided about it (run or held), once. */
    public String automaticDecision(String fingerprint, long episode, String runbook) {
        return prefix + "auto-decided:" + fingerprint + ":" + episode + ":" + runbook;
    }

    /** String per alert group: someone acknowledged it (an open incident: automatic runs hold off). */
    public String incident(String groupId) {
        return prefix + "incident:" + groupId;
    }

    /** List per alert group: what was done about it (notes its message shows), newest last, capped. */
    public String notes(String groupId) {
        return prefix + "notes:" + groupId;
    }
}
