package dev.ghost.alerting.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.ghost.alerting.model.Alert;
import dev.ghost.alerting.model.AlertData;

/** What one step of the engine changed: alerts to store, alerts to forget, transitions for the history. */
public final class Changes {

    /** A change of state worth a line in the history. */
    public record Transition(Instant at, Kind kind, AlertData alert) {
    }

    public enum Kind {
        PENDING, FIRING, REFIRING, RESOLVED, CANCELLED;

        public String json() {
            return name().toLowerCase();
        }
    }

    private final Map<String, Alert> changed = new LinkedHashMap<>();
    private final Set<String> removed = new LinkedHashSet<>();
    private final List<Transition> transitions = new ArrayList<>();

    void changed(Alert alert) {
        changed.put(alert.fingerprint(), alert);
        removed.remove(alert.fingerprint());
    }

    void removed(String fingerprint) {
        changed.remove(fingerprint);
        removed.add(fingerprint);
    }

    void transition(Instant at, Kind kind, Alert alert) {
        transitions.add(new Transition(at, kind, alert.data()));
    }

    public List<AlertData> changed() {
        return changed.values().stream().map(Alert::data).toList();
    }

    public Set<String> removed() {
        return removed;
    }

    public List<Transition> transitions() {
        return transitions;
    }

    public boolean isEmpty() {
        return changed.isEmpty() && removed.isEmpty();
    }

    public void clear() {
        changed.clear();
        removed.clear();
        transitions.clear();
    }
}
