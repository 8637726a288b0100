package dev.ghost.health.fleet;

import java.util.List;

/** What the fleet tells the rest of the service; called in order on one output thread, never on a polling thread. */
public interface FleetListener {

    /** Transitions found together, in the order they happened (instances before the services they move). */
    default void transitions(List<Transition> transitions, FleetView view) {
    }

    /** A polling round completed. */
    default void round(FleetView.Round round, List<Sample> samples, FleetView view) {
    }
}
