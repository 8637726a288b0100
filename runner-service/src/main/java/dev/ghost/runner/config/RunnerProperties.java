package dev.ghost.runner.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** Everything a runner is configured with ({@code ghost.runner.*}; env {@code GHOST_RUNNER_*}). */
@ConfigurationProperties("ghost.runner")
public class RunnerProperties {

    /** Names this runner in records, events and lock tokens (default: its Eureka instance id). */
    private String instanceId = "runner";

    /** Workspace name -> directory. Patches name a workspace, never a directory. */
    private Map<String, Path> workspaces = new LinkedHashMap<>();

    /** This runner's own state: snapshots for rollback and crash recovery, command logs. One per instance. */
    private Path stateDir = Path.of(".ghost/runner/default");

    /** Directory watched for patch files; off when unset. */
    private Path inbox;

    /** How long an inbox file must stay unchanged (size and mtime) before it is read. */
    private Duration inboxSettle = Duration.ofSeconds(1);

    /** How often the inbox is looked at. */
    private Duration inboxPollInterval = Duration.ofMillis(500);

    /** Patches executing at once (different targets); default: the number of cores. */
    private int maxConcurrent = Runtime.getRuntime().availableProcessors();

    /** Patches accepted but not yet started; beyond it submissions get 429. */
    private int queueCapacity = 100;

    /** Longest a single command may run (the patch's own timeoutSeconds bounds the whole). */
    private Duration commandTimeout = Duration.ofMinutes(30);

    /** After SIGTERM to a command's process group, how long before SIGKILL. */
    private Duration killGrace = Duration.ofSeconds(2);

    /** Command output kept per command in the log; the middle of longer output is cut, with a marker. */
    private DataSize outputLimit = DataSize.ofMegabytes(1);

    /** Output kept on each step of the record (and in the summary and events). */
    private DataSize outputTail = DataSize.ofKilobytes(4);

    /** Environment variables passed from the runner to commands; everything else is scrubbed. */
    private List<String> envAllowlist = new ArrayList<>(List.of("PATH", "HOME", "LANG", "TZ"));

    /** Lease on patches and target locks; a runner silent this long is presumed dead. */
    private Duration lease = Duration.ofSeconds(15);

    /** How often this runner looks for patches whose owner's lease expired. */
    private Duration sweepInterval = Duration.ofSeconds(5);

    /** How long records (and logs) are kept. */
    private Duration recordTtl = Duration.ofDays(7);

    /** Most records kept in the recent index behind GET /patches. */
    private int recentLimit = 10_000;

    /** Seconds a 429 asks the client to wait. */
    private int retryAfterSeconds = 5;

    public String getInstanceId() {
        return instanceId;
    }

    public void setInstanceId(String instanceId) {
        this.instanceId = instanceId;
    }

    public Map<String, Path> getWorkspaces() {
        return workspaces;
    }

    public void setWorkspaces(Map<String, Path> workspaces) {
        this.workspaces = workspaces;
    }

    public Path getStateDir() {
        return stateDir;
    }

    public void setStateDir(Path stateDir) {
        this.stateDir = stateDir;
    }

    public Path getInbox() {
        return inbox;
    }

    public void setInbox(Path inbox) {
        this.inbox = inbox;
    }

    public Duration getInboxSettle() {
        return inboxSettle;
    }

    public void setInboxSettle(Duration inboxSettle) {
        this.inboxSettle = inboxSettle;
    }

    public Duration getInboxPollInterval() {
        return inboxPollInterval;
    }

    public void setInboxPollInterval(Duration inboxPollInterval) {
        this.inboxPollInterval = inboxPollInterval;
    }

    public int getMaxConcurrent() {
        return maxConcurrent;
    }

    public void setMaxConcurrent(int maxConcurrent) {
        this.maxConcurrent = maxConcurrent;
    }

    public int getQueueCapacity() {
        return queueCapacity;
    }

    public void setQueueCapacity(int queueCapacity) {
        this.queueCapacity = queueCapacity;
    }

    public Duration getCommandTimeout() {
        return commandTimeout;
    }

    public void setCommandTimeout(Duration commandTimeout) {
        this.commandTimeout = commandTimeout;
    }

    public Duration getKillGrace() {
        return killGrace;
    }

    public void setKillGrace(Duration killGrace) {
        this.killGrace = killGrace;
    }

    public DataSize getOutputLimit() {
        return outputLimit;
    }

    public void setOutputLimit(DataSize outputLimit) {
        this.outputLimit = outputLimit;
    }

    public DataSize getOutputTail() {
        return outputTail;
    }

    public void setOutputTail(DataSize outputTail) {
        this.outputTail = outputTail;
    }

    public List<String> getEnvAllowlist() {
        return envAllowlist;
    }

    public void setEnvAllowlist(List<String> envAllowlist) {
        this.envAllowlist = envAllowlist;
    }

    public Duration getLease() {
        return lease;
    }

    public void setLease(Duration lease) {
        this.lease = lease;
    }

    public Duration getSweepInterval() {
        return sweepInterval;
    }

    public void setSweepInterval(Duration sweepInterval) {
        this.sweepInterval = sweepInterval;
    }

    public Duration getRecordTtl() {
        return recordTtl;
    }

    public void setRecordTtl(Duration recordTtl) {
        this.recordTtl = recordTtl;
    }

    public int getRecentLimit() {
        return recentLimit;
    }

    public void setRecentLimit(int recentLimit) {
        this.recentLimit = recentLimit;
    }

    public int getRetryAfterSeconds() {
        return retryAfterSeconds;
    }

    public void setRetryAfterSeconds(int retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
    }
}
