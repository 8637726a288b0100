package dev.ghost.runner.execution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.runner.config.RunnerProperties;
import dev.ghost.runner.patch.PatchRecord;
import dev.ghost.runner.patch.PatchStatus;
import dev.ghost.runner.patch.PatchStore;
import dev.ghost.runner.workspace.Workspaces;

/**
 * Undoes what a runner that died mid-patch left behind. Every patch in flight keeps a journal in
 * the state directory (process groups started, snapshot taken) and, once it mutates, a "dirty"
 * marker on its target in Redis naming that journal. A restarted runner kills the recorded
 * process groups, restores the snapshots under the target's lock and marks the patches LOST; a
 * runner on the same machine that takes the target first does the same before its own patch.
 */
public class CrashRecovery {

    private static final Logger log = LoggerFactory.getLogger(CrashRecovery.class);
    private static final String META = "meta.json";

    /** Written into the journal and, as the dirty marker, into Redis (same bytes, so it can be compared). */
    public record JournalMeta(String patchId, String target, String root, String runner, String journal) {
    }

    /** The target was left mid-patch by a runner whose snapshot is not reachable from here. */
    public static class RecoveryImpossibleException extends Exception {
        RecoveryImpossibleException(String message) {
            super(message);
        }
    }

    private final RunnerProperties properties;
    private final Workspaces workspaces;
    private final StateDirectory state;
    private final TargetLocks locks;
    private final PatchStore store;
    private final PatchEvents events;
    private final JsonMapper json;

    public CrashRecovery(RunnerProperties properties, Workspaces workspaces, StateDirectory state, TargetLocks locks,
            PatchStore store, PatchEvents events, JsonMapper json) {
        this.properties = properties;
        this.workspaces = workspaces;
        this.state = state;
        this.locks = locks;
        this.store = store;
        this.events = events;
        this.json = json;
    }

    JsonMapper json() {
        return json;
    }

    void openJournal(Path journal, ActivePatch patch) throws IOException {
        Files.createDirectories(journal);
        Files.write(journal.resolve(META), marker(journal, patch).getBytes(StandardCharsets.UTF_8));
    }

    void recordProcessGroup(Path journal, long pgid) {
        try {
            StateDirectory.recordProcessGroup(journal, pgid);
        } catch (IOException e) {
            log.warn("cannot journal process group {} in {}: {}", pgid, journal, e.getMessage());
        }
    }

    /** Names the journal on the target before the first mutation; without Redis the patch goes on unmarked. */
    void markDirty(ActivePatch patch) {
        try {
            locks.markDirty(patch.target(), marker(state.journal(patch.id()), patch));
        } catch (DataAccessException e) {
            log.warn("target {} not marked dirty for patch {} (Redis unreachable)", patch.target(), patch.id());
        }
    }

    /** The patch is over and its workspace consistent: drop journal and (when it mutated) the dirty marker. */
    void closeJournal(Path journal, ActivePatch mutated) throws IOException {
        if (mutated != null) {
            try {
                locks.clearDirty(mutated.target(), marker(journal, mutated));
            } catch (DataAccessException e) {
                log.warn("dirty marker of target {} not cleared (Redis unreachable); it names a journal that is gone,"
                        + " so the next patch on the target will clear it", mutated.target());
            }
        }
        StateDirectory.deleteRecursively(journal);
    }

    private String marker(Path journal, ActivePatch patch) {
        return json.writeValueAsString(new JournalMeta(patch.id(), patch.target(), workspaces.root(patch.target()).toString(),
                properties.getInstanceId(), journal.toString()));
    }

    /**
     * Called with the target's lock held, before a patch touches it: when the previous holder left
     * it mid-patch, put it back first.
     */
    void restoreIfDirty(String target, String patchId, String dirtyMarker) throws RecoveryImpossibleException {
        if (dirtyMarker == null) {
            return;
        }
        Optional<String> marker = Optional.of(dirtyMarker);
        JournalMeta meta = json.readValue(marker.get(), JournalMeta.class);
        Path journal = Path.of(meta.journal());
        if (meta.patchId().equals(patchId) || !meta.root().equals(workspaces.root(target).toString())) {
            return; // ours, or another directory that some runner calls by the same name
        }
        if (!Files.exists(journal.resolve(META))) {
            if (!Files.isDirectory(journal.getParent())) {
                throw new RecoveryImpossibleException("target '" + target + "' was left mid-patch by patch " + meta.patchId()
                        + " on runner " + meta.runner() + ", whose snapshot is not reachable from this runner; restart that"
                        + " runner (it restores the workspace when it starts), then resubmit under a new id");
            }
            // its journal is gone, so that patch ended cleanly and only the marker outlived it (Redis was away)
            retrying(() -> {
                locks.clearDirty(target, marker.get());
                return null;
            });
            return;
        }
        recover(journal);
    }

    /** At start-up: kill what the previous life of this runner left running, then restore and report. */
    public void recoverLeftovers() {
        List<Path> journals = state.leftoverJournals();
        for (Path journal : journals) {
            killRecordedProcessGroups(journal);
        }
        for (Path journal : journals) {
            Optional<JournalMeta> meta = readMeta(journal);
            if (meta.isEmpty()) {
                deleteQuietly(journal);
                continue;
            }
            String token = "recovery/" + properties.getInstanceId() + "/" + meta.get().patchId();
            while (!retrying(() -> locks.tryAcquire(meta.get().target(), token))) {
                sleep(200);
            }
            try {
                recover(journal);
            } finally {
                retrying(() -> {
                    locks.release(meta.get().target(), token);
                    return null;
                });
            }
        }
    }

    /** With the target's lock held: kill, restore, mark LOST, forget the journal. */
    private void recover(Path journal) {
        Optional<JournalMeta> read = readMeta(journal);
        if (read.isEmpty()) {
            deleteQuietly(journal);
            return;
        }
        JournalMeta meta = read.get();
        killRecordedProcessGroups(journal);
        boolean restored = false;
        String problem = null;
        try {
            Optional<Snapshot> snapshot = Snapshot.load(journal.resolve("snapshot"), json);
            if (snapshot.isPresent()) {
                snapshot.get().restore();
                restored = true;
            }
        } catch (IOException | RuntimeException e) {
            problem = e.getMessage();
            log.error("cannot restore the snapshot of patch {} from {}", meta.patchId(), journal, e);
        }
        log.warn("patch {} on target {} was left mid-run by runner {}; {}", meta.patchId(), meta.target(), meta.runner(),
                restored ? "workspace restored from its snapshot" : problem == null ? "it had not mutated anything" : "restore FAILED");
        if (problem != null) {
            return; // keep journal and marker: the next holder of the target tries again
        }
        boolean wasRestored = restored;
        retrying(() -> {
            markLost(meta, wasRestored);
            locks.clearDirty(meta.target(), readString(journal.resolve(META)));
            return null;
        });
        deleteQuietly(journal);
    }

    private void markLost(JournalMeta meta, boolean restored) {
        for (int attempt = 0; attempt < 10; attempt++) {
            Optional<String> current = store.findJson(meta.patchId());
            if (current.isEmpty()) {
                return;
            }
            PatchRecord record = store.read(current.get());
            if (record.getStatus().terminal() && record.getStatus() != PatchStatus.LOST) {
                return;
            }
            PatchRecord lost = record.copy();
            lost.setStatus(PatchStatus.LOST);
            lost.setRolledBack(restored);
            if (lost.getFinishedAt() == null) {
                lost.setFinishedAt(Instant.now());
            }
            lost.setError("runner " + meta.runner() + " stopped mid-patch; "
                    + (restored ? "the workspace was restored from its snapshot by runner " + properties.getInstanceId()
                            : "it had not changed any file yet"));
            if (store.replace(record, current.get(), lost, false)) {
                if (record.getStatus() != PatchStatus.LOST) {
                    events.lifecycle(lost);
                }
                return;
            }
        }
    }

    private void killRecordedProcessGroups(Path journal) {
        Optional<JournalMeta> meta = readMeta(journal);
        if (meta.isEmpty()) {
            return; // the journal is written before any command starts
        }
        String tag = CommandRunner.TAG + "=" + meta.get().patchId();
        Path pgids = journal.resolve("pgids");
        if (Files.exists(pgids)) {
            killProcessGroups(pgids, tag);
        }
        ProcessGroups.killTagged(tag);
    }

    private void killProcessGroups(Path pgids, String tag) {
        for (String line : readString(pgids).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            long pgid = Long.parseLong(line.trim());
            // a live leader must still carry this patch's tag, or its pid was recycled and it is somebody else's;
            // a group whose leader is gone keeps its id reserved while any member lives, so it is still ours
            Optional<ProcessHandle> leader = ProcessHandle.of(pgid);
            if (leader.isEmpty() || ProcessGroups.carriesTag(pgid, tag)) {
                ProcessGroups.terminate(pgid, leader.map(handle -> handle.descendants().toList()).orElse(List.of()),
                        properties.getKillGrace());
            }
        }
    }

    private Optional<JournalMeta> readMeta(Path journal) {
        Path file = journal.resolve(META);
        return Files.exists(file) ? Optional.of(json.readValue(readString(file), JournalMeta.class)) : Optional.empty();
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path journal) {
        try {
            StateDirectory.deleteRecursively(journal);
        } catch (IOException e) {
            log.warn("cannot delete journal {}: {}", journal, e.getMessage());
        }
    }

    /** Recovery must not give up because Redis blinked; it waits for it. */
    private static <T> T retrying(java.util.function.Supplier<T> call) {
        while (true) {
            try {
                return call.get();
            } catch (DataAccessException e) {
                sleep(500);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
