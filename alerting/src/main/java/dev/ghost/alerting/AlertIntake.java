package dev.ghost.alerting;

import java.util.Collection;
import java.util.List;

import dev.ghost.common.event.GhostEvent;

/**
 * How the application that runs alerting feeds it: its own signals (ml-monitor's anomalies,
 * bursts, predictions...) and the events other services send it (health, patch, relay). The
 * only way in; everything behind it is alerting's own.
 */
public interface AlertIntake {

    /** Hands signals over and returns at once: they are applied on alerting's own thread. Never throws. */
    void submit(Collection<AlertSignal> signals);

    /**
     * Turns events of other services ({@code health.*}, {@code patch.*}, {@code relay.dead_letter};
     * others are ignored) into signals and returns once everything they changed is stored, so an
     * event acknowledged to its sender cannot be lost by a restart.
     *
     * @throws EventsNotRecordedException when they could not be stored in time (Redis unreachable, shutting down):
     *                                    the caller should refuse them so the sender delivers them again
     */
    void record(List<GhostEvent> events);

    /** The events could not be recorded; nothing of them is kept. */
    class EventsNotRecordedException extends RuntimeException {

        public EventsNotRecordedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
