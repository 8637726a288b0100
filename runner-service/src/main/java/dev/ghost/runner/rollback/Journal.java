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

    /** The patch is over and its workspace consistent. */
    public void delete() throws IOException {
        TreeFiles.delete(dir);
    }
}
