package dev.ghost.common.event;

/**
 * Hands events to whoever routes them. Must never block or fail the caller's work: an event
 * that cannot be sent now is buffered or counted as dropped, not thrown.
 */
public interface EventPublisher {

    void publish(GhostEvent event);
}
