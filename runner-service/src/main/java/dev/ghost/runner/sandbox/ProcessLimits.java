package dev.ghost.runner.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What one command of a patch may use, enforced as rlimits on the command and everything it starts
 * ({@code ghost.runner.limits.*}, per workspace {@code ghost.runner.workspaces.<name>.limits.*}).
 *
 * @param processes processes (and threads) the command may run at once (RLIMIT_NPROC, counted in its user namespace)
 * @param memory writable memory per process (RLIMIT_DATA); also the size of its private /tmp
 * @param cpuTime CPU time per process (RLIMIT_CPU)
 * @param fileSize largest file a process may write (RLIMIT_FSIZE)
 * @param openFiles open files per process (RLIMIT_NOFILE)
 */
public record ProcessLimits(
        @DefaultValue("512") @Positive int processes,
        @DefaultValue("4GB") DataSize memory,
        @DefaultValue("30m") Duration cpuTime,
        @DefaultValue("2GB") DataSize fileSize,
        @DefaultValue("4096") @Positive int openFiles) {

    /** A workspace's own values; whatever it leaves out comes from the runner's limits. */
    public record Overrides(Integer processes, DataSize memory, Duration cpuTime, DataSize fileSize, Integer openFiles) {
    }

    public ProcessLimits with(Overrides overrides) {
        if (overrides == null) {
            return this;
        }
        return new ProcessLimits(
                overrides.processes() != null ? overrides.processes() : processes,
                overrides.memory() != null ? overrides.memory() : memory,
                overrides.cpuTime() != null ? overrides.cpuTime() : cpuTime,
                overrides.fileSize() != null ? overrides.fileSize() : fileSize,
                overrides.openFiles() != null ? overrides.openFiles() : openFiles);
    }

    /**
     * Shell lines that set these limits ({@code -t} seconds, {@code -f} 512-byte blocks, {@code -d}
     * KiB), each exiting with {@code failure} if it cannot; what the shell execs next inherits them.
     */
    public String ulimitScript(int failure) {
        StringBuilder script = new StringBuilder();
        for (String limit : List.of("-p " + processes, "-d " + Math.max(1, memory.toKilobytes()),
                "-t " + Math.max(1, cpuTime.toSeconds()), "-f " + Math.max(1, fileSize.toBytes() / 512), "-n " + openFiles)) {
            script.append("ulimit ").append(limit).append(" || exit ").append(failure).append('\n');
        }
        return script.toString();
    }

    /** {@code argv} run under these limits. */
    public List<String> wrap(List<String> argv, int failure) {
        List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", ulimitScript(failure) + "exec \"$@\"", "ghost-limits"));
        wrapped.addAll(argv);
        return wrapped;
    }
}
