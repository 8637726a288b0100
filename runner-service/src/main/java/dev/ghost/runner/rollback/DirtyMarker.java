package dev.ghost.runner.rollback;

/**
 * Tells other runners sharing a workspace that it is mid-change (from before the first byte
 * changes until it is consistent again), so none of them starts a patch on it meanwhile. Only a
 * signal for others: this runner's own recovery reads its journals, never the marker.
 */
public interface DirtyMarker {

    void mark(Journal.Meta journal);

    void clear(Journal.Meta journal);
}
