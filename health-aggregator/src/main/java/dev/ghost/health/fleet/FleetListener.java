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

    /** Tells each listener in turn. */
    static FleetListener all(List<FleetListener> listeners) {
        List<FleetListener> copy = List.copyOf(listeners);
        return new FleetListener() {
            @Override
            public void transitions(List<Transition> transitions, FleetView view) {
                copy.forEach(listener -> listener.transitions(transitions, view));
            }

            @Override
            public void round(FleetView.Round round, List<Sample> samples, FleetView view) {
                copy.forEach(listener -> listener.round(round, samples, view));
            }
        };
    }
}
