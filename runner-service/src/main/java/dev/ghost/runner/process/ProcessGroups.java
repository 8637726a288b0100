package dev.ghost.runner.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
public final class ProcessGroups {

    private static final Logger log = LoggerFactory.getLogger(ProcessGroups.class);
    private static final String KILL = "kill";

    private ProcessGroups() {
    }

    /** Sends {@code signal} to every process of group {@code pgid}; false when the group is empty. */
    public static boolean signal(long pgid, String signal) {
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
    public static void terminate(long pgid, List<ProcessHandle> descendants, Duration grace) {
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

    /**
     * SIGKILL to every process whose environment carries {@code tag} (e.g. {@code GHOST_PATCH_ID=x}):
     * the last net for a process that left both the group and the tree (its own setsid, then a
     * double fork). Linux only (/proc); elsewhere a no-op. Returns how many were killed.
     */
    public static int killTagged(String tag) {
        Path proc = Path.of("/proc");
        if (!Files.isDirectory(proc)) {
            return 0;
        }
        byte[] needle = ("\0" + tag + "\0").getBytes(StandardCharsets.UTF_8);
        long self = ProcessHandle.current().pid();
        int killed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc, "[0-9]*")) {
            for (Path entry : entries) {
                long pid = Long.parseLong(entry.getFileName().toString());
                if (pid != self && carries(entry.resolve("environ"), needle)) {
                    killed += ProcessHandle.of(pid).map(ProcessHandle::destroyForcibly).orElse(false) ? 1 : 0;
                }
            }
        } catch (IOException e) {
            log.warn("cannot scan /proc for processes tagged {}: {}", tag, e.getMessage());
        }
        return killed;
    }

    /** Whether process {@code pid} has {@code tag} (NAME=value) in its environment. */
    public static boolean carriesTag(long pid, String tag) {
        return carries(Path.of("/proc", String.valueOf(pid), "environ"), ("\0" + tag + "\0").getBytes(StandardCharsets.UTF_8));
    }

    private static boolean carries(Path environ, byte[] needle) {
        byte[] data;
        try {
            data = Files.readAllBytes(environ);
        } catch (IOException e) {
            return false; // gone, or not ours to read
        }
        // environ is NUL-separated; a leading NUL lets the first variable match too
        byte[] text = new byte[data.length + 2];
        System.arraycopy(data, 0, text, 1, data.length);
        outer:
        for (int i = 0; i + needle.length <= text.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (text[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
