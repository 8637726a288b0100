package dev.ghost.runner.rollback;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.runner.config.RunnerProperties;
import dev.ghost.runner.execution.PatchEvents;
import dev.ghost.runner.locking.TargetLocks;
import dev.ghost.runner.patch.PatchRecord;
import dev.ghost.runner.patch.PatchStatus;
import dev.ghost.runner.patch.PatchStore;
import dev.ghost.runner.process.CommandRunner;
import dev.ghost.runner.process.ProcessGroups;
import dev.ghost.runner.redis.RunnerBackoff;

/**
 * Undoes what a runner that died mid-patch left behind, from the journals in its own state
 * directory (never from anything read from Redis, so losing or flushing Redis changes nothing
 * here). At start-up every leftover journal is undone under its target's lock; and before a patch
 * runs on a target, any journal of this runner still open for that target is undone first, so no
 * patch ever starts on a half-changed workspace. The patches concerned end LOST.
 */
public class CrashRecovery {

    private static final Logger log = LoggerFactory.getLogger(CrashRecovery.class);

    /** The target's workspace cannot be made consistent by this runner; no patch may run on it. */
    public static class RecoveryImpossibleException extends Exception {
        public RecoveryImpossibleException(String message) {
            super(message);
        }
    }

    private final RunnerProperties properties;
    private final StateDirectory state;
    private final TargetLocks locks;
    private final PatchStore store;
    private final PatchEvents events;
    private final Transactions transactions;
    private final JsonMapper json;

    public CrashRecovery(RunnerProperties properties, StateDirectory state, TargetLocks locks, PatchStore store,
            PatchEvents events, Transactions transactions, JsonMapper json) {
        this.properties = properties;
        this.state = state;
        this.locks = locks;
        this.store = store;
        this.events = events;
        this.transactions = transactions;
        this.json = json;
    }

    /** At start-up (in the background): undoes each journal of {@code leftovers} under its target's lock. */
    public void recover(List<Path> leftovers) {
        for (Path dir : leftovers) {
            Optional<Journal> journal = Journal.load(dir, json);
            if (journal.isEmpty()) {
                deleteQuietly(dir);
                continue;
            }
            killLeftoverProcesses(journal.get());
            String target = journal.get().meta().target();
            String token = "recovery/" + properties.instanceId() + "/" + journal.get().meta().patchId();
            for (int held = 1; !retrying(() -> locks.tryAcquire(target, token)); held++) {
                sleep(RunnerBackoff.LOCK_HELD.apply(held));
            }
            try {
                recover(journal.get());
            } catch (RecoveryImpossibleException e) {
                log.error("{}", e.getMessage());
            } finally {
                retrying(() -> {
                    locks.release(target, token);
                    return null;
                });
            }
        }
    }

    /** With {@code target}'s lock held, before a patch runs on it: undoes this runner's unfinished journals for it. */
    public void recoverTarget(String target) throws RecoveryImpossibleException {
        for (Path dir : state.leftoverJournals()) {
            Optional<Journal> journal = Journal.load(dir, json);
            if (journal.isPresent() && journal.get().meta().target().equals(target)) {
                killLeftoverProcesses(journal.get());
                recover(journal.get());
            }
        }
    }

    private synchronized void recover(Journal journal) throws RecoveryImpossibleException {
        if (!Files.exists(journal.dir())) {
            return; // the other path of recovery got there first
        }
        Journal.Meta meta = journal.meta();
        boolean restored;
        try {
            restored = transactions.recover(journal);
        } catch (IOException | RuntimeException e) {
            log.error("cannot undo patch {} on target {} from its journal {}", meta.patchId(), meta.target(), journal.dir(), e);
            throw new RecoveryImpossibleException("target '" + meta.target() + "' was left mid-patch by patch " + meta.patchId()
                    + " and could not be restored (" + e.getMessage() + "); see the runner's log");
        }
        log.warn("patch {} on target {} was left mid-run by this runner ({}); {}", meta.patchId(), meta.target(), meta.runner(),
                restored ? "workspace restored as it was before it" : "it had changed nothing");
        retrying(() -> {
            markLost(meta, restored);
            return null;
        });
    }

    private void markLost(Journal.Meta meta, boolean restored) {
        for (int attempt = 0; attempt < 10; attempt++) {
            Optional<PatchStore.Stored> current = store.findStored(meta.patchId());
            if (current.isEmpty()) {
                return;
            }
            PatchRecord record = current.get().record();
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
                    + (restored ? "the workspace was restored as it was before the patch by runner " + properties.instanceId()
                            : "it had not changed anything yet"));
            if (store.replace(current.get(), lost, false)) {
                if (record.getStatus() != PatchStatus.LOST) {
                    events.lifecycle(lost);
                }
                return;
            }
        }
    }

    /** Without a sandbox, a command's processes can outlive the runner; with one they died with it. */
    private void killLeftoverProcesses(Journal journal) {
        String tag = CommandRunner.TAG + "=" + journal.meta().patchId();
        try {
            for (long pgid : journal.processGroups()) {
                // a live leader must still carry this patch's tag, or its pid was recycled and it is somebody else's;
                // a group whose leader is gone keeps its id reserved while any member lives, so it is still ours
                Optional<ProcessHandle> leader = ProcessHandle.of(pgid);
                if (leader.isEmpty() || ProcessGroups.carriesTag(pgid, tag)) {
                    ProcessGroups.terminate(pgid, leader.map(handle -> handle.descendants().toList()).orElse(List.of()),
                            properties.killGrace());
                }
            }
        } catch (IOException e) {
            log.warn("cannot read the process groups of {}: {}", journal.dir(), e.getMessage());
        }
        if (journal.meta().kind() == Journal.Kind.BACKUP) {
            ProcessGroups.killTagged(tag);
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            TreeFiles.delete(dir);
        } catch (IOException e) {
            log.warn("cannot delete journal {}: {}", dir, e.getMessage());
        }
    }

    /** Recovery must not give up because Redis blinked; it waits for it. */
    private static <T> T retrying(Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (DataAccessException e) {
                sleep(RunnerBackoff.REDIS_AWAY.apply(attempt));
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
