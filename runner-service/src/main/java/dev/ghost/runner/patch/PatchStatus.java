package dev.ghost.runner.patch;

/** Lifecycle of a patch: QUEUED -> RUNNING -> one of the terminal states. */
public enum PatchStatus {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    TIMED_OUT,
    CANCELLED,
    /** Its runner died (lease expired) before finishing it. */
    LOST;

    public boolean terminal() {
        return this != QUEUED && this != RUNNING;
    }

    /** The event type announcing this state, e.g. {@code patch.timed_out}. */
    public String eventType() {
        return "patch." + name().toLowerCase();
    }
}
