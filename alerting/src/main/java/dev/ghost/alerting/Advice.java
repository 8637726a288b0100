package dev.ghost.alerting;

import java.util.List;
import java.util.Map;

/**
 * What an {@link ActionAdvisor} offers for one group's message: actions per alert (by fingerprint),
 * actions for the whole group, and notes on what was done so far.
 */
public record Advice(Map<String, List<SuggestedAction>> perAlert, List<SuggestedAction> forGroup, List<GroupNote> notes) {

    private static final Advice NONE = new Advice(Map.of(), List.of(), List.of());

    public Advice {
        perAlert = Map.copyOf(perAlert);
        forGroup = List.copyOf(forGroup);
        notes = List.copyOf(notes);
    }

    public static Advice none() {
        return NONE;
    }

    public boolean isEmpty() {
        return perAlert.isEmpty() && forGroup.isEmpty() && notes.isEmpty();
    }
}
