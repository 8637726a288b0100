package dev.ghost.runner.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import dev.ghost.runner.execution.ActivePatch;
import dev.ghost.runner.execution.LeaseKeeper;
import dev.ghost.runner.execution.PatchExecution;
import dev.ghost.runner.execution.PatchQueue;
import dev.ghost.runner.inbox.InboxWatcher;
import dev.ghost.runner.patch.PatchStatus;
import dev.ghost.runner.rollback.CrashRecovery;
import dev.ghost.runner.rollback.StateDirectory;

/**
 * Start: recover what a previous life of this runner left mid-patch (in the background, since it
 * may wait for Redis or a target lock), then keep leases and watch the inbox. Stop: stop taking
 * work, cancel what waits, and let running patches roll back before the process exits, so a
 * normal shutdown never leaves a workspace half-patched.
 */
public class RunnerLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RunnerLifecycle.class);

    private final RunnerProperties properties;
    private final StateDirectory state;
    private final CrashRecovery recovery;
    private final LeaseKeeper keeper;
    private final PatchQueue queue;
    private final PatchExecution execution;
    private final InboxWatcher inbox;
    private volatile boolean running;

    public RunnerLifecycle(RunnerProperties properties, StateDirectory state, CrashRecovery recovery, LeaseKeeper keeper,
            PatchQueue queue, PatchExecution execution, InboxWatcher inbox) {
        this.properties = properties;
        this.state = state;
        this.recovery = recovery;
        this.keeper = keeper;
        this.queue = queue;
        this.execution = execution;
        this.inbox = inbox;
    }

    @Override
    public void start() {
        // listed before any patch can start, so a journal of this life is never taken for a leftover
        java.util.List<java.nio.file.Path> leftovers = state.leftoverJournals();
        Thread recovering = new Thread(() -> {
            try {
                recovery.recover(leftovers);
            } catch (RuntimeException e) {
                log.error("crash recovery failed", e);
            }
        }, "ghost-crash-recovery");
        recovering.setDaemon(true);
        recovering.start();
        keeper.start();
        if (inbox != null) {
            inbox.start();
        }
        running = true;
        log.info("runner {} ready: workspaces {}, max {} concurrent, queue {}, sandbox {}", properties.instanceId(),
                properties.workspaces().keySet(), properties.maxConcurrent(), properties.queueCapacity(),
                properties.sandbox().name().toLowerCase());
    }

    @Override
    public void stop() {
        running = false;
        if (inbox != null) {
            inbox.close();
        }
        for (ActivePatch patch : queue.drainWaiting()) {
            execution.finishUnstarted(patch, PatchStatus.CANCELLED, "the runner shut down before the patch started");
        }
        queue.active().forEach(patch -> patch.abort("the runner is shutting down"));
        try {
            queue.shutdown(properties.killGrace().toMillis() + 10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        keeper.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
