package dev.ghost.runner.rollback;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.ghost.runner.config.RunnerProperties;

/**
 * The runner's own corner of the disk ({@code ghost.runner.state-dir}): {@code logs/} (one
 * combined log per patch), {@code running/} (one {@link Journal} per patch in flight, with the
 * overlay or backup that undoes it), {@code discarded/} (journals of finished patches whose files
 * are being deleted) and {@code sandbox/} (the sandbox's own files). A journal left in
 * {@code running/} at start-up is the trace of a crash. Patch ids may be "." or "..", hence the "p-" prefix.
 */
public class StateDirectory {

    private final Path logs;
    private final Path running;

    public StateDirectory(RunnerProperties properties) {
        Path root = properties.stateDir().toAbsolutePath().normalize();
        this.logs = root.resolve("logs");
        this.running = root.resolve("running");
        try {
            Files.createDirectories(logs);
            Files.createDirectories(running);
            TreeFiles.delete(root.resolve(Journal.DISCARDED)); // a previous life's, whose deletion it did not finish
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the runner state directory " + root, e);
        }
    }

    public Path log(String patchId) {
        return logs.resolve("p-" + patchId + ".log");
    }

    public OutputStream openLog(String patchId) throws IOException {
        return Files.newOutputStream(log(patchId), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    public Path root() {
        return logs.getParent();
    }

    public Path journal(String patchId) {
        return running.resolve("p-" + patchId);
    }

    /** Journals left by a previous life of this runner. */
    public List<Path> leftoverJournals() {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(running, "p-*")) {
            entries.forEach(found::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /** Drops logs older than the records that describe them. */
    public void pruneLogs(Duration maxAge) {
        Instant oldest = Instant.now().minus(maxAge);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(logs, "p-*.log")) {
            for (Path log : entries) {
                if (Files.getLastModifiedTime(log).toInstant().isBefore(oldest)) {
                    Files.deleteIfExists(log);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
