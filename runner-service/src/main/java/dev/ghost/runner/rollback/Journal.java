package dev.ghost.runner.rollback;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import tools.jackson.databind.json.JsonMapper;

/**
 * One patch's journal in the runner's state directory: what it is, how its workspace is protected
 * ({@link Kind}) and how far it got ({@link Phase}), beside the overlay or backup that undoes it.
 * A journal left there when the runner starts is the trace of a crash; everything recovery needs
 * is here, on this runner's own disk, never in Redis.
 */
public final class Journal {

    public enum Kind {
        /** The patch runs on an overlay; the workspace is untouched until commit. */
        OVERLAY,
        /** The patch runs on the workspace itself; a copy taken before it started undoes it. */
        BACKUP
    }

    public enum Phase {
        /** Steps run; for OVERLAY the workspace is as before. */
        RUNNING,
        /** An OVERLAY patch's changes are being moved into the workspace; its backup undoes a partial move. */
        COMMITTING
    }

    public record Meta(String patchId, String target, String root, String runner, Kind kind, Phase phase) {
        Meta in(Phase next) {
            return new Meta(patchId, target, root, runner, kind, next);
        }
    }

    /** Where deleted journals wait for their files to be deleted: a sibling of the journals' own directory. */
    public static final String DISCARDED = "discarded";

    private static final Logger log = LoggerFactory.getLogger(Journal.class);
    private static final ExecutorService SWEEPER = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "ghost-journal-sweeper");
        thread.setDaemon(true);
        return thread;
    });
    private static final String META = "journal.json";
    private static final String PROCESS_GROUPS = "pgids";

    private final Path dir;
    private final JsonMapper json;
    private Meta meta;

    private Journal(Path dir, JsonMapper json, Meta meta) {
        this.dir = dir;
        this.json = json;
        this.meta = meta;
    }

    public static Journal open(Path dir, JsonMapper json, Meta meta) throws IOException {
        Files.createDirectories(dir);
        Journal journal = new Journal(dir, json, meta);
        journal.write(meta, false);
        return journal;
    }

    /** The journal in {@code dir}, if its meta was written (it is written before anything else happens). */
    public static Optional<Journal> load(Path dir, JsonMapper json) {
        Path file = dir.resolve(META);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Journal(dir, json, json.readValue(Files.readAllBytes(file), Meta.class)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    public Meta meta() {
        return meta;
    }

    /** Moves to {@code phase}, durably: a crash after this returns finds the journal in that phase. */
    public void enter(Phase phase) throws IOException {
        write(meta.in(phase), true);
    }

    private void write(Meta next, boolean durable) throws IOException {
        Path temporary = dir.resolve(META + ".tmp");
        Files.write(temporary, json.writeValueAsBytes(next));
        if (durable) {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
        }
        Files.move(temporary, dir.resolve(META), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        meta = next;
    }

    /** Without a sandbox: a process group a command started, so a restarted runner can kill it if it is still there. */
    public void recordProcessGroup(long pgid) throws IOException {
        Files.writeString(dir.resolve(PROCESS_GROUPS), pgid + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    public List<Long> processGroups() throws IOException {
        Path file = dir.resolve(PROCESS_GROUPS);
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file).stream().map(String::trim).filter(line -> !line.isEmpty()).map(Long::parseLong).toList();
    }

    /**
     * The patch is over and its workspace consistent. The journal stops counting at once (one rename
     * out of its directory, into {@value #DISCARDED} beside it); its files, a whole backup copy or
     * overlay among them, are deleted in the background, off the patch's path. What a crash leaves
     * in {@value #DISCARDED} is not a journal, and the state directory empties it at start-up.
     */
    public void delete() throws IOException {
        Path discarded = Files.createDirectories(dir.toAbsolutePath().getParent().resolveSibling(DISCARDED));
        Path moved = discarded.resolve(dir.getFileName() + "." + UUID.randomUUID());
        Files.move(dir, moved, StandardCopyOption.ATOMIC_MOVE);
        SWEEPER.execute(() -> {
            try {
                TreeFiles.delete(moved);
            } catch (IOException | RuntimeException e) {
                log.warn("discarded journal {} not deleted: {}", moved, e.toString());
            }
        });
    }
}
