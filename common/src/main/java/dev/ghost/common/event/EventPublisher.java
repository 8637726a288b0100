package dev.ghost.common.event;

/**
 * Hands events to whoever routes them. Must never block or fail the caller's work: an event
 * that cannot be sent now is buffered or counted as dropped, not thrown.
 */
public interface EventPublisher {

    void publish(GhostEvent event);

    /**
     * Publishes, and runs {@code accepted} once whoever routes events took this one (or refused it for
     * good): a caller that must not lose an event keeps it until then and sends it again otherwise.
     * Publishers that hand events over at once (not buffered) run it right away.
     */
    default void publish(GhostEvent event, Runnable accepted) {
        publish(event);
        accepted.run();
    }
}
