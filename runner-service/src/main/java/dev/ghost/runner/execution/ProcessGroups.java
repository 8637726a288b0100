package dev.ghost.runner.execution;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills what a command started. Each command leads its own session and process group (it runs
 * under {@code setsid}), so signalling the group reaches children that detached with {@code &},
 * {@code disown} or a double fork, which a walk of the process tree misses once they are
 * re-parented; the tree walk then catches descendants that left the group with a setsid of their own.
 * Java cannot signal a process group, hence {@code kill(1)}.
 */
final class ProcessGroups {

    private static final Logger log = LoggerFactory.getLogger(ProcessGroups.class);
    private static final String KILL = "kill";

    private ProcessGroups() {
    }

    /** Sends {@code signal} to every process of group {@code pgid}; false when the group is empty. */
    static boolean signal(long pgid, String signal) {
        try {
            Process kill = new ProcessBuilder(KILL, "-s", signal, "--", "-" + pgid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                return true;
            }
            return kill.exitValue() == 0;
        } catch (IOException e) {
            log.error("cannot run kill(1) to signal process group {}: {}", pgid, e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /**
     * SIGTERM to the group and to the given descendants, up to {@code grace} for them to go, then
     * SIGKILL to whatever is left. Returns once nothing of it answers signals any more (or after a
     * bounded wait for zombies to be reaped).
     */
    static void terminate(long pgid, List<ProcessHandle> descendants, Duration grace) {
        boolean anyone = signal(pgid, "TERM");
        descendants.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        while ((anyone || descendants.stream().anyMatch(ProcessHandle::isAlive)) && System.nanoTime() < deadline) {
            sleep(25);
            anyone = signal(pgid, "0");
        }
        if (anyone || descendants.stream().anyMatch(ProcessHandle::isAlive)) {
            signal(pgid, "KILL");
            descendants.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
