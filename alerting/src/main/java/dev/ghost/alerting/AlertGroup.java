package dev.ghost.alerting;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.ghost.alerting.model.AlertData;

/**
 * A group of alerts as one message tells them: its id (what a notification's {@code groupId} and
 * a Slack message's buttons carry), its receiver, its group labels and its alerts now.
 *
 * @param told fingerprints of the firing alerts the group's last message showed (empty before its first message)
 */
public record AlertGroup(String id, String receiver, Map<String, String> labels, List<AlertData> firing, List<AlertData> resolved,
        Set<String> told) {

    public AlertGroup {
        labels = Map.copyOf(labels);
        firing = List.copyOf(firing);
        resolved = List.copyOf(resolved);
        told = told == null ? Set.of() : Set.copyOf(told);
    }
}
