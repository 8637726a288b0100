package dev.ghost.runner.execution;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.ghost.common.patch.ParsedPatch;
import dev.ghost.runner.patch.PatchRecord;

/** A patch this runner accepted and has not finished: what to run, its record, and the reasons to stop it. */
public final class ActivePatch {

    private final ParsedPatch parsed;
    private final PatchRecord record;
    private final String token;
    private volatile String stopReason;
    private volatile boolean cancelled;
    private volatile boolean holdsLock;
    private final CountDownLatch ended = new CountDownLatch(1);

    public ActivePatch(ParsedPatch parsed, PatchRecord record, String token) {
        this.parsed = parsed;
        this.record = record;
        this.token = token;
    }

    public ParsedPatch parsed() {
        return parsed;
    }

    public String id() {
        return record.getId();
    }

    public String target() {
        return record.getTarget();
    }

    /** Mutated only by the thread executing the patch; readers take a {@link #snapshot()}. */
    PatchRecord record() {
        return record;
    }

    public synchronized PatchRecord snapshot() {
        return record.copy();
    }

    /** The lease and lock token: this runner instance and this run. */
    public String token() {
        return token;
    }

    /** This runner is done with it (finished, or dropped from the queue). */
    void markEnded() {
        ended.countDown();
    }

    /** Waits up to {@code timeout} for this runner to be done with it; whether it is. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** A user's cancel. */
    public void cancel() {
        cancelled = true;
        stopReason = stopReason == null ? "cancelled on request" : stopReason;
    }

    /** This runner must stop the patch for a reason of its own (lost lease, shutdown). */
    public void abort(String reason) {
        stopReason = reason;
    }

    public boolean stopRequested() {
        return stopReason != null;
    }

    public boolean cancelled() {
        return cancelled;
    }

    /** Whether it holds its target's lock now (the lease keeper renews it then). */
    public boolean holdsLock() {
        return holdsLock;
    }

    void setHoldsLock(boolean holdsLock) {
        this.holdsLock = holdsLock;
    }

    public String stopReason() {
        return stopReason;
    }
}
