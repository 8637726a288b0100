package dev.ghost.runner.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import dev.ghost.runner.sandbox.ProcessLimits;
import dev.ghost.runner.sandbox.SandboxMode;

/**
 * Everything a runner is configured with ({@code ghost.runner.*}; env {@code GHOST_RUNNER_*}).
 *
 * @param instanceId names this runner in records, events and lock tokens (default: its Eureka instance id)
 * @param workspaces workspace name → its directory and what its patches may use; patches name a workspace, never a directory
 * @param stateDir this runner's own state: journals for rollback and crash recovery, command logs; one per instance
 * @param inbox directory watched for patch files; off when unset
 * @param inboxSettle how long an inbox file must stay unchanged (size and mtime) before it is read
 * @param inboxPollInterval how often the inbox is looked at
 * @param maxConcurrent patches executing at once (different targets); 0 means one per core
 * @param queueCapacity patches accepted but not yet started; beyond it submissions get 429
 * @param commandTimeout longest a single command may run (the patch's own timeoutSeconds bounds the whole)
 * @param killGrace without a sandbox: after SIGTERM to a command's process group, how long before SIGKILL
 * @param outputLimit command output kept per command in the log; the middle of longer output is cut, with a marker
 * @param outputTail output kept on each step of the record (and in the summary and events)
 * @param envAllowlist environment variables passed from the runner to commands; everything else is scrubbed
 * @param lease lease on patches and target locks; a runner silent this long is presumed dead
 * @param sweepInterval how often this runner looks for patches whose owner's lease expired
 * @param recordTtl how long records (and logs) are kept
 * @param recentLimit most records kept in the recent index behind GET /patches
 * @param retryAfterSeconds seconds a 429 asks the client to wait
 * @param sandbox how commands are isolated: {@code bubblewrap}, or {@code none} (only when set explicitly)
 * @param sandboxReadOnlyPaths host paths besides the system ones that sandboxed commands may read (toolchains)
 * @param bwrap the bubblewrap binary
 * @param limits what one command of a patch may use, unless its workspace says otherwise
 */
@ConfigurationProperties("ghost.runner")
@Validated
public record RunnerProperties(
        @DefaultValue("runner") String instanceId,
        @DefaultValue @Valid Map<String, Workspace> workspaces,
        @DefaultValue(".ghost/runner/default") @NotNull Path stateDir,
        Path inbox,
        @DefaultValue("1s") Duration inboxSettle,
        @DefaultValue("500ms") Duration inboxPollInterval,
        @DefaultValue("0") int maxConcurrent,
        @DefaultValue("100") @Positive int queueCapacity,
        @DefaultValue("30m") Duration commandTimeout,
        @DefaultValue("2s") Duration killGrace,
        @DefaultValue("1MB") DataSize outputLimit,
        @DefaultValue("4KB") DataSize outputTail,
        @DefaultValue({"PATH", "HOME", "LANG", "TZ"}) List<String> envAllowlist,
        @DefaultValue("15s") Duration lease,
        @DefaultValue("5s") Duration sweepInterval,
        @DefaultValue("7d") Duration recordTtl,
        @DefaultValue("10000") @Positive int recentLimit,
        @DefaultValue("5") @Positive int retryAfterSeconds,
        @DefaultValue("bubblewrap") @NotNull SandboxMode sandbox,
        @DefaultValue List<Path> sandboxReadOnlyPaths,
        @DefaultValue("bwrap") String bwrap,
        @DefaultValue @Valid ProcessLimits limits) {

    public RunnerProperties {
        maxConcurrent = maxConcurrent > 0 ? maxConcurrent : Runtime.getRuntime().availableProcessors();
        workspaces = Map.copyOf(workspaces);
        envAllowlist = List.copyOf(envAllowlist);
        sandboxReadOnlyPaths = List.copyOf(sandboxReadOnlyPaths);
    }

    /**
     * One workspace ({@code ghost.runner.workspaces.<name>.*}).
     *
     * @param path its directory, created if missing
     * @param network whether its commands may use the network (e.g. builds that fetch packages); off by default
     * @param limits overrides of the runner's {@code limits} for this workspace's commands
     */
    public record Workspace(@NotNull Path path, boolean network, @DefaultValue ProcessLimits.Overrides limits) {
    }

    /** What a command on {@code workspace} may use: the runner's limits with the workspace's overrides. */
    public ProcessLimits limitsFor(Workspace workspace) {
        return limits.with(workspace.limits());
    }
}
