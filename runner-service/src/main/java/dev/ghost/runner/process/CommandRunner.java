package dev.ghost.runner.process;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ghost.runner.config.RunnerProperties;

/**
 * Runs one command of a patch: the process its transaction prepared (in the sandbox, or under
 * {@code setsid} without one), stdin from /dev/null, output captured and capped, a deadline, and
 * an end to everything it started when the deadline passes or the patch is cancelled, and even
 * when it exits normally. In the sandbox, killing the launcher is enough (its pid namespace goes
 * with it); without one, its process group is killed, then stray descendants, then any process
 * still carrying the patch's {@code GHOST_PATCH_ID}.
 */
public class CommandRunner {

    private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);
    private static final File DEV_NULL = new File("/dev/null");
    private static final Duration POLL = Duration.ofMillis(100);
    /** Every command's environment names its patch; without a sandbox it also marks the processes to hunt down. */
    public static final String TAG = "GHOST_PATCH_ID";

    public enum Outcome { OK, FAILED, TIMED_OUT, CANCELLED }

    /** {@code exitCode} is null when the command was killed. */
    public record Result(Outcome outcome, Integer exitCode, long durationMs, String outputTail, long outputBytes) {
    }

    /**
     * @param contained whether killing the launched process ends everything it starts (a sandbox)
     * @param tag the {@code NAME=value} its processes carry in their environment
     */
    public record Launch(ProcessBuilder process, boolean contained, String tag) {
    }

    private final RunnerProperties properties;
    private final ExecutorService readers = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "ghost-output-reader");
        thread.setDaemon(true);
        return thread;
    });

    public CommandRunner(RunnerProperties properties) {
        this.properties = properties;
    }

    /**
     * @param started told the process group id as soon as an uncontained command started (for the crash journal)
     * @param cancelled polled while the command runs
     */
    public Result run(Launch launch, Duration timeout, OutputStream logOut, LongConsumer started, BooleanSupplier cancelled)
            throws IOException {
        ProcessBuilder builder = launch.process()
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL));
        long begin = System.nanoTime();
        OutputCapture capture = new OutputCapture(logOut, properties.outputLimit().toBytes(), (int) properties.outputTail().toBytes());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            logOut.write(("[ghost: cannot start the command: " + e.getMessage() + "]\n").getBytes(StandardCharsets.UTF_8));
            return new Result(Outcome.FAILED, null, elapsedMs(begin), "cannot start: " + e.getMessage(), 0);
        }
        // setsid execs in place (a child of the JVM is never a group leader), so pid == pgid == sid
        long pgid = process.pid();
        if (!launch.contained()) {
            started.accept(pgid);
        }
        InputStream output = process.getInputStream();
        Future<?> reading = readers.submit(() -> {
            capture.drain(output);
            return null;
        });

        Outcome outcome = null;
        long deadline = begin + timeout.toNanos();
        try {
            while (outcome == null) {
                long left = deadline - System.nanoTime();
                if (process.waitFor(Math.min(Math.max(left, 0), POLL.toNanos()), TimeUnit.NANOSECONDS)) {
                    outcome = process.exitValue() == 0 ? Outcome.OK : Outcome.FAILED;
                } else if (cancelled.getAsBoolean()) {
                    outcome = Outcome.CANCELLED;
                } else if (System.nanoTime() >= deadline) {
                    outcome = Outcome.TIMED_OUT;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = Outcome.CANCELLED;
        }

        boolean exited = outcome == Outcome.OK || outcome == Outcome.FAILED;
        if (launch.contained()) {
            if (!exited) {
                process.destroyForcibly(); // the sandbox's pid namespace, and everything in it, dies with it
            }
        } else if (exited) {
            // anything still in the group was left behind in the background; nothing outlives its step
            if (ProcessGroups.signal(pgid, "TERM")) {
                ProcessGroups.terminate(pgid, List.of(), properties.killGrace());
                killTagged(launch.tag());
            }
        } else {
            List<ProcessHandle> descendants = process.descendants().toList();
            ProcessGroups.terminate(pgid, descendants, properties.killGrace());
            process.destroyForcibly();
            killTagged(launch.tag());
        }
        finishReading(reading, output);
        capture.finish();
        String tail = capture.tail();
        Integer exitCode = exited ? process.exitValue() : null;
        String note = switch (outcome) {
            case OK, FAILED -> "[exit " + exitCode + "]";
            case TIMED_OUT -> "[ghost: timed out after " + timeout.toMillis() + " ms; every process of the command killed]";
            case CANCELLED -> "[ghost: cancelled; every process of the command killed]";
        };
        logOut.write(("\n" + note + "\n").getBytes(StandardCharsets.UTF_8));
        logOut.flush();
        return new Result(outcome, exitCode, elapsedMs(begin), tail, capture.totalBytes());
    }

    private static void killTagged(String tag) {
        if (tag != null) {
            int killed = ProcessGroups.killTagged(tag);
            if (killed > 0) {
                log.warn("killed {} process(es) with {} that had left the command's process group and tree", killed, tag);
            }
        }
    }

    /**
     * The pipe closes when the last writer is gone; a process that escaped both the group and the
     * tree could keep it open, so the reader is not waited for forever.
     */
    private void finishReading(Future<?> reading, InputStream output) {
        try {
            reading.get(properties.killGrace().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            log.warn("command output still open after its process group was killed; closing it");
            try {
                output.close();
            } catch (IOException ignored) {
                // closing is all we can do
            }
            reading.cancel(true);
        } catch (java.util.concurrent.ExecutionException e) {
            log.warn("reading command output failed: {}", e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long elapsedMs(long begin) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
    }
}
