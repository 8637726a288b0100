package dev.ghost.runner.execution;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

import dev.ghost.common.patch.Mutation;
import dev.ghost.common.patch.Patch;
import dev.ghost.runner.config.RunnerProperties;
import dev.ghost.runner.locking.TargetLocks;
import dev.ghost.runner.mutation.MutationApplier;
import dev.ghost.runner.patch.PatchRecord;
import dev.ghost.runner.patch.PatchRecord.FileChange;
import dev.ghost.runner.patch.PatchRecord.StepRecord;
import dev.ghost.runner.patch.PatchStatus;
import dev.ghost.runner.process.CommandRunner;
import dev.ghost.runner.process.CommandRunner.Outcome;
import dev.ghost.runner.redis.RunnerBackoff;
import dev.ghost.runner.rollback.CrashRecovery;
import dev.ghost.runner.rollback.Journal;
import dev.ghost.runner.rollback.StateDirectory;
import dev.ghost.runner.rollback.Transactions;
import dev.ghost.runner.rollback.WorkspaceTransaction;
import dev.ghost.runner.workspace.HostPaths;
import dev.ghost.runner.workspace.WorkspaceFiles;
import dev.ghost.runner.workspace.Workspaces;

/**
 * Executes one patch, start to finish, on a worker of the {@link PatchQueue}: takes the target's
 * lock, undoes whatever a crash of this runner left on the target, opens the patch's
 * {@link WorkspaceTransaction}, runs preCommit, applies the mutations, runs postMutationBuild and
 * validate, and commits; on any failure, timeout or cancel the transaction rolls back instead
 * (when rollbackOnFailure), undoing the commands' changes as well as the mutations'. The record is
 * written after every step.
 */
public class PatchExecution {

    private static final Logger log = LoggerFactory.getLogger(PatchExecution.class);

    private final RunnerProperties properties;
    private final Workspaces workspaces;
    private final RecordWriter records;
    private final TargetLocks locks;
    private final CommandRunner commands;
    private final StateDirectory state;
    private final PatchEvents events;
    private final CrashRecovery recovery;
    private final Transactions transactions;
    private final HostPaths hostPaths;
    private final Map<String, String> inheritedEnvironment = new LinkedHashMap<>();

    public PatchExecution(RunnerProperties properties, Workspaces workspaces, RecordWriter records, TargetLocks locks,
            CommandRunner commands, StateDirectory state, PatchEvents events, CrashRecovery recovery,
            Transactions transactions, HostPaths hostPaths, PatchQueue queue) {
        this.properties = properties;
        this.hostPaths = hostPaths;
        this.workspaces = workspaces;
        this.records = records;
        this.locks = locks;
        this.commands = commands;
        this.state = state;
        this.events = events;
        this.recovery = recovery;
        this.transactions = transactions;
        for (String name : properties.envAllowlist()) {
            String value = System.getenv(name);
            if (value != null) {
                inheritedEnvironment.put(name, value);
            }
        }
        queue.setWorker(this::execute);
    }

    /** Everything one run needs besides the patch. */
    private final class Run {
        final ActivePatch patch;
        final OutputStream log;
        final Map<String, String> environment;
        final long deadline;
        final List<Mutation> mutations;
        WorkspaceTransaction transaction;
        String error;
        /** The patch's last write to Redis, sent and not yet known to be taken, and what a refusal of it means. */
        private RecordWriter.Acceptance unsettled;
        private String ifRefused;
        /** Redis refused one of its writes: the sweeper declared the patch LOST or another runner took it over. */
        boolean refused;

        Run(ActivePatch patch, OutputStream log, List<Mutation> mutations) {
            this.patch = patch;
            this.log = log;
            this.mutations = mutations;
            this.environment = new LinkedHashMap<>(inheritedEnvironment);
            environment.put(CommandRunner.TAG, patch.id());
            environment.put("GHOST_TARGET", patch.target());
            this.deadline = System.nanoTime() + Duration.ofSeconds(patch.parsed().patch().timeoutSeconds()).toNanos();
        }

        Patch spec() {
            return patch.parsed().patch();
        }

        boolean mustStop() {
            return patch.stopRequested() || System.nanoTime() >= deadline;
        }

        void sent(RecordWriter.Acceptance write, String ifRefused) {
            this.unsettled = write;
            this.ifRefused = ifRefused;
        }

        /** Learns whether Redis took the last write; a refusal stops the patch (a step later at most). */
        void settle() {
            if (unsettled != null && !unsettled.accepted()) {
                refused = true;
                patch.abort(ifRefused);
            }
            unsettled = null;
        }
    }

    void execute(ActivePatch patch) {
        try {
            TargetLocks.Acquired lock = patch.stopRequested() ? null : acquireLock(patch);
            if (lock == null) {
                finishUnstarted(patch, PatchStatus.CANCELLED, patch.stopReason());
                return;
            }
            try {
                run(patch, lock.dirty());
            } finally {
                patch.setHoldsLock(false);
                try {
                    locks.release(patch.target(), patch.token());
                } catch (DataAccessException e) {
                    log.warn("lock on target {} not released (Redis unreachable); its lease will lapse", patch.target());
                }
            }
        } catch (RuntimeException e) {
            log.error("patch {} failed unexpectedly", patch.id(), e);
            finishUnstarted(patch, PatchStatus.FAILED, "internal error in the runner: " + e.getClass().getSimpleName());
        }
    }

    /** Waits for the target's lock (another runner may hold it, or Redis may be away); null if stopped meanwhile. */
    private TargetLocks.Acquired acquireLock(ActivePatch patch) {
        int held = 0;
        int unreachable = 0;
        while (!patch.stopRequested()) {
            long pause;
            try {
                TargetLocks.Acquired acquired = locks.tryAcquireReadingDirty(patch.target(), patch.token());
                if (acquired != null) {
                    patch.setHoldsLock(true);
                    return acquired;
                }
                unreachable = 0;
                pause = RunnerBackoff.LOCK_HELD.apply(++held);
            } catch (DataAccessException e) {
                // never start without the lock: another runner could be in this workspace
                pause = RunnerBackoff.REDIS_AWAY.apply(++unreachable);
            }
            sleep(pause);
        }
        return null;
    }

    private void run(ActivePatch patch, TargetLocks.Mark dirty) {
        Path root = workspaces.root(patch.target());
        List<Mutation> mutations;
        try {
            recovery.recoverTarget(patch.target());
            refuseIfLeftByAnother(patch.target(), dirty);
            mutations = workspaces.resolve(patch.parsed().patch());
        } catch (CrashRecovery.RecoveryImpossibleException e) {
            finishUnstarted(patch, PatchStatus.FAILED, e.getMessage());
            return;
        } catch (Workspaces.UnsafePath e) {
            finishUnstarted(patch, PatchStatus.FAILED, "unsafe path found before the patch started, nothing was changed: " + e.getMessage());
            return;
        }
        try (OutputStream logOut = state.openLog(patch.id())) {
            Run run = new Run(patch, logOut, mutations);
            update(patch, record -> {
                record.setStatus(PatchStatus.RUNNING);
                record.setStartedAt(Instant.now());
                record.setRunner(events.instance());
            });
            events.lifecycle(patch.snapshot());
            run.sent(records.write(patch.snapshot(), patch.token()), "this patch was declared LOST before it started");
            write(run, "# patch " + patch.id() + " on target " + patch.target() + " by runner " + events.instance()
                    + " at " + Instant.now() + "\n");
            RunnerProperties.Workspace workspace = workspaces.settings(patch.target());
            Outcome outcome;
            try {
                run.transaction = transactions.begin(state.journal(patch.id()),
                        new Journal.Meta(patch.id(), patch.target(), root.toString(), properties.instanceId(), null, null),
                        root, properties.limitsFor(workspace), workspace.network());
                run.settle(); // a patch declared LOST meanwhile runs no command
                outcome = phases(run);
            } catch (IOException | RuntimeException | StackOverflowError e) {
                // whatever broke, a patch whose transaction is open is still rolled back by finish()
                log.error("patch {}: the runner failed while executing it", patch.id(), e);
                run.error = "the runner failed while executing the patch: " + e;
                outcome = Outcome.FAILED;
            }
            finish(run, outcome);
        } catch (IOException e) {
            log.error("patch {}: I/O failure in the runner's state directory", patch.id(), e);
            finishUnstarted(patch, PatchStatus.FAILED, "runner I/O failure before the patch started: " + e.getMessage());
        }
    }

    /** A dirty marker of another runner: it died changing this workspace, and only its journal can put it back. */
    private void refuseIfLeftByAnother(String target, TargetLocks.Mark dirty) throws CrashRecovery.RecoveryImpossibleException {
        if (dirty == null) {
            return;
        }
        if (dirty.runner().equals(properties.instanceId())) {
            locks.clearStale(target, dirty); // this runner's own journals were just dealt with
            return;
        }
        throw new CrashRecovery.RecoveryImpossibleException("target '" + target + "' was left mid-change by patch " + dirty.patchId()
                + " on runner " + dirty.runner() + ", whose journal is not reachable from this runner; restart that runner"
                + " (it restores the workspace when it starts), then resubmit under a new id");
    }

    private Outcome phases(Run run) throws IOException {
        Patch spec = run.spec();
        Outcome outcome = commands(run, "preCommit", spec.preCommit().shell());
        if (outcome == Outcome.OK) {
            outcome = mutations(run);
        }
        if (outcome == Outcome.OK) {
            outcome = commands(run, "postMutationBuild", spec.postMutationBuild().shell());
        }
        if (outcome == Outcome.OK) {
            outcome = commands(run, "validate", spec.validate().shell());
        }
        return outcome;
    }

    private Outcome commands(Run run, String phase, List<String> shell) throws IOException {
        for (int i = 0; i < shell.size(); i++) {
            Outcome stop = stopBeforeStep(run);
            if (stop != null) {
                return stop;
            }
            String command = shell.get(i);
            long left = run.deadline - System.nanoTime();
            Duration timeout = Duration.ofNanos(Math.min(left, properties.commandTimeout().toNanos()));
            write(run, "\n$ " + command + "    # " + phase + " #" + i + "\n");
            ActivePatch patch = run.patch;
            WorkspaceTransaction transaction = run.transaction;
            CommandRunner.Launch launch = new CommandRunner.Launch(
                    transaction.command(List.of("/bin/sh", "-c", command), run.environment),
                    transaction.containsProcesses(), CommandRunner.TAG + "=" + patch.id());
            CommandRunner.Result result = commands.run(launch, timeout, run.log,
                    pgid -> journalProcessGroup(transaction.journal(), pgid), patch::stopRequested);
            String outcome = result.outcome().name().toLowerCase();
            StepRecord step = new StepRecord(phase, i, command, null, outcome, result.exitCode(), result.durationMs(),
                    hostPaths.hide(result.outputTail()), result.outputBytes(), null);
            record(run, step);
            switch (result.outcome()) {
                case OK -> { }
                case FAILED -> run.error = phase + " command #" + i + " exited with " + result.exitCode() + ": " + command;
                case TIMED_OUT -> run.error = left <= properties.commandTimeout().toNanos()
                        ? "the patch exceeded its timeoutSeconds (" + run.spec().timeoutSeconds() + ") in " + phase + " command #" + i
                        : phase + " command #" + i + " exceeded the command timeout (" + properties.commandTimeout() + ")";
                case CANCELLED -> run.error = patch.stopReason();
            }
            if (result.outcome() != Outcome.OK) {
                return result.outcome();
            }
        }
        return Outcome.OK;
    }

    private static void journalProcessGroup(Journal journal, long pgid) {
        try {
            journal.recordProcessGroup(pgid);
        } catch (IOException e) {
            log.warn("cannot journal process group {} in {}: {}", pgid, journal.dir(), e.getMessage());
        }
    }

    private Outcome mutations(Run run) throws IOException {
        List<Mutation> list = run.mutations;
        if (list.isEmpty()) {
            return Outcome.OK;
        }
        MutationApplier applier = new MutationApplier(run::mustStop);
        WorkspaceFiles files = run.transaction.files();
        for (int i = 0; i < list.size(); i++) {
            Outcome stop = stopBeforeStep(run);
            if (stop != null) {
                return stop;
            }
            Mutation mutation = list.get(i);
            String paths = String.join(", ", run.spec().mutations().get(i).paths());
            long begin = System.nanoTime();
            String failure = null;
            try {
                applier.apply(files, mutation);
            } catch (MutationApplier.MutationFailedException e) {
                failure = e.getMessage();
            } catch (IOException e) {
                failure = "I/O error on " + paths + ": " + e.getMessage();
            } catch (MutationApplier.StoppedException e) {
                stop = stopBeforeStep(run);
                failure = run.error;
            }
            long millis = (System.nanoTime() - begin) / 1_000_000;
            write(run, (failure == null ? "~ " : "! ") + kind(mutation) + " " + paths + (failure == null ? "" : ": " + failure) + "\n");
            String outcome = failure == null ? "ok" : stop != null ? stop.name().toLowerCase() : "failed";
            record(run, new StepRecord("mutations", i, null, paths, outcome, null, millis, null, null, hostPaths.hide(failure)));
            if (stop != null) {
                return stop;
            }
            if (failure != null) {
                run.error = "mutation #" + i + " failed: " + failure;
                return Outcome.FAILED;
            }
        }
        List<FileChange> changes = new ArrayList<>();
        for (String path : list.stream().flatMap(mutation -> mutation.paths().stream()).distinct().toList()) {
            byte[] before = run.transaction.original(path);
            byte[] after;
            try {
                after = files.read(path);
            } catch (WorkspaceFiles.UnsafePathException e) {
                after = null;
            }
            if (before != null || after != null) {
                changes.add(MutationApplier.change(path, before, after));
            }
        }
        update(run.patch, record -> record.setFilesChanged(changes));
        return Outcome.OK;
    }

    private static String kind(Mutation mutation) {
        if (mutation instanceof Mutation.WriteFile) {
            return "write";
        }
        if (mutation instanceof Mutation.RegexReplace) {
            return "replace";
        }
        return mutation instanceof Mutation.DeleteFile ? "delete" : "diff";
    }

    private void finish(Run run, Outcome outcome) {
        WorkspaceTransaction transaction = run.transaction;
        if (transaction != null && commits(run, outcome) && changes(run)) {
            // the last write's answer is awaited only by a commit that changes the workspace: behind a LOST verdict
            // (or another runner's ownership), the workspace must not change
            run.settle();
            if (run.refused && outcome == Outcome.OK) {
                run.error = run.patch.stopReason();
                outcome = Outcome.CANCELLED;
            }
        }
        PatchStatus status = switch (outcome) {
            case OK -> PatchStatus.SUCCEEDED;
            case FAILED -> PatchStatus.FAILED;
            case TIMED_OUT -> PatchStatus.TIMED_OUT;
            case CANCELLED -> PatchStatus.CANCELLED;
        };
        boolean rolledBack = false;
        if (transaction != null && commits(run, outcome)) {
            try {
                transaction.commit();
            } catch (IOException | RuntimeException e) {
                log.error("patch {}: its changes could not be committed; the workspace was restored", run.patch.id(), e);
                status = PatchStatus.FAILED;
                rolledBack = true;
                run.error = (run.error == null ? "" : run.error + "; ") + "its changes could not be moved into the workspace ("
                        + e.getMessage() + "), which was restored as it was";
            }
        } else if (transaction != null) {
            try {
                rolledBack = transaction.rollback();
                if (rolledBack) {
                    write(run, "\n# rolled back: the workspace is as it was before the patch\n");
                }
            } catch (IOException | RuntimeException e) {
                run.error = run.error + "; ROLLBACK FAILED (" + e.getMessage() + "): the journal is kept, so the next patch"
                        + " on this target restores the workspace first";
                write(run, "\n# ROLLBACK FAILED: " + e.getMessage() + "\n");
                log.error("patch {}: rollback failed; journal kept in {}", run.patch.id(), transaction.journal().dir(), e);
            }
        }
        PatchStatus ended = status;
        write(run, "# " + ended + (run.error == null ? "" : ": " + run.error) + "\n");
        boolean rolled = rolledBack;
        update(run.patch, record -> {
            record.setStatus(ended);
            record.setFinishedAt(Instant.now());
            record.setDurationMs(Duration.between(record.getStartedAt(), record.getFinishedAt()).toMillis());
            record.setRolledBack(rolled);
            record.setError(hostPaths.hide(run.error));
        });
        RecordWriter.Acceptance last = records.write(run.patch.snapshot(), run.patch.token());
        run.settle(); // the step appended before this write, if still unanswered: both were in flight together
        last.accepted();
        events.lifecycle(run.patch.snapshot());
        run.patch.markEnded(); // its record is final: followers need not wait for the target's lock to be released
    }

    private static boolean commits(Run run, Outcome outcome) {
        return outcome == Outcome.OK || !run.spec().rollbackOnFailure();
    }

    private static boolean changes(Run run) {
        try {
            return run.transaction.changed();
        } catch (IOException e) {
            return true; // the commit will tell what is wrong; until then, assume it changes something
        }
    }

    /** Ends a patch that never got to run a step (cancelled while queued, lock never obtained, recovery impossible). */
    public void finishUnstarted(ActivePatch patch, PatchStatus status, String error) {
        update(patch, record -> {
            record.setStatus(status);
            record.setFinishedAt(Instant.now());
            record.setError(hostPaths.hide(error));
            if (record.getStartedAt() != null) {
                record.setDurationMs(Duration.between(record.getStartedAt(), record.getFinishedAt()).toMillis());
            }
        });
        records.write(patch.snapshot(), patch.token()).accepted();
        events.lifecycle(patch.snapshot());
        patch.markEnded();
    }

    /**
     * Adds a finished step to the record: appended in Redis, so a step costs the same at step 10,000
     * as at step 1 (the record is written whole only when its status changes); the event goes out at once.
     * The append is not awaited: the next step (or the commit) runs while Redis answers.
     */
    private void record(Run run, StepRecord step) {
        ActivePatch patch = run.patch;
        update(patch, record -> record.getSteps().add(step));
        events.step(patch, step);
        run.settle();
        run.sent(records.appendStep(patch.id(), step, patch.token(), patch::snapshot),
                "this patch was declared LOST (its lease lapsed) while it ran");
    }

    /** The outcome that ends the patch before its next step, or null to go on. */
    private Outcome stopBeforeStep(Run run) {
        if (run.patch.stopRequested()) {
            run.error = run.patch.stopReason();
            return Outcome.CANCELLED;
        }
        if (System.nanoTime() >= run.deadline) {
            run.error = "the patch exceeded its timeoutSeconds (" + run.spec().timeoutSeconds() + ")";
            return Outcome.TIMED_OUT;
        }
        return null;
    }

    private static void update(ActivePatch patch, Consumer<PatchRecord> change) {
        synchronized (patch) {
            change.accept(patch.record());
        }
    }

    /** The log is for people; a full disk there must not change how the patch ends. */
    private void write(Run run, String text) {
        try {
            run.log.write(hostPaths.hide(text).getBytes(StandardCharsets.UTF_8));
            run.log.flush();
        } catch (IOException e) {
            log.warn("patch {}: log not written: {}", run.patch.id(), e.getMessage());
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
