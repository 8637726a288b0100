package dev.ghost.runner.execution;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

import dev.ghost.runner.config.RunnerProperties;
import dev.ghost.runner.locking.TargetLocks;
import dev.ghost.runner.rollback.StateDirectory;
import dev.ghost.runner.patch.PatchRecord;
import dev.ghost.runner.patch.PatchStatus;
import dev.ghost.runner.patch.PatchStore;

/**
 * Keeps this runner's claims alive and buries other runners' dead ones. Every third of a lease it
 * retries record writes that Redis missed, then renews the lease of each patch it holds and the lock
 * of each target it works on (and learns of cancels sent to it through Redis). Every sweep
 * interval it marks LOST any QUEUED or RUNNING patch whose owner's lease has lapsed.
 */
public class LeaseKeeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);
    /** An id in the active index without a record is only dropped once its creation surely finished. */
    private static final long CREATION_GRACE_MILLIS = 60_000;

    private final RunnerProperties properties;
    private final PatchQueue queue;
    private final PatchStore store;
    private final TargetLocks locks;
    private final RecordWriter records;
    private final PatchEvents events;
    private final StateDirectory state;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "ghost-lease-keeper");
        thread.setDaemon(true);
        return thread;
    });

    public LeaseKeeper(RunnerProperties properties, PatchQueue queue, PatchStore store, TargetLocks locks,
            RecordWriter records, PatchEvents events, StateDirectory state) {
        this.properties = properties;
        this.queue = queue;
        this.store = store;
        this.locks = locks;
        this.records = records;
        this.events = events;
        this.state = state;
    }

    public void start() {
        long renewEvery = Math.max(50, properties.lease().toMillis() / 3);
        scheduler.scheduleWithFixedDelay(guarded(this::renew), renewEvery, renewEvery, TimeUnit.MILLISECONDS);
        long sweepEvery = properties.sweepInterval().toMillis();
        scheduler.scheduleWithFixedDelay(guarded(this::sweep), sweepEvery, sweepEvery, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(guarded(() -> state.pruneLogs(properties.recordTtl())), 0, 1, TimeUnit.HOURS);
    }

    void renew() {
        // first: a finished patch whose final write waited for Redis no longer renews its lease
        records.flush();
        for (ActivePatch patch : queue.active()) {
            switch (store.renew(patch.id(), patch.token())) {
                case LOST -> patch.abort("this runner lost its lease on the patch (it was declared LOST or taken over)");
                case CANCEL_REQUESTED -> patch.cancel();
                case KEPT -> { }
            }
            if (patch.holdsLock() && !locks.renew(patch.target(), patch.token())) {
                patch.abort("another runner took the lock on target '" + patch.target() + "' while this one held it");
            }
        }
    }

    /** Any runner may sweep; the compare-and-set in Redis makes exactly one of them declare each patch LOST. */
    void sweep() {
        Map<String, Double> ids = store.activeIds(1000);
        long now = System.currentTimeMillis();
        for (Map.Entry<String, Double> entry : ids.entrySet()) {
            String id = entry.getKey();
            if (queue.find(id).isPresent() || store.hasLease(id)) {
                continue;
            }
            Optional<PatchStore.Stored> stored = store.findStored(id);
            if (stored.isEmpty()) {
                if (now - entry.getValue() > CREATION_GRACE_MILLIS) {
                    store.forgetActive(id);
                }
                continue;
            }
            PatchRecord record = stored.get().record();
            if (record.getStatus().terminal()) {
                store.forgetActive(id);
                continue;
            }
            PatchRecord lost = record.copy();
            lost.setStatus(PatchStatus.LOST);
            lost.setFinishedAt(Instant.now());
            lost.setError("the lease of runner " + record.getRunner() + " on this patch lapsed (" + properties.lease()
                    + ") while it was " + record.getStatus() + ": presumed dead; its workspace is restored when it restarts");
            if (store.replace(stored.get(), lost, true)) {
                store.forgetActive(id);
                log.warn("patch {} declared LOST: runner {} stopped renewing its lease", id, record.getRunner());
                events.lifecycle(lost);
            }
        }
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (DataAccessException e) {
                log.debug("Redis unreachable, retrying next round: {}", e.getMessage());
            } catch (RuntimeException e) {
                log.error("lease keeper task failed", e);
            }
        };
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
