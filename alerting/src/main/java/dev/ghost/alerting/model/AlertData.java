package dev.ghost.alerting.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.ghost.alerting.Link;

/**
 * An alert as it is stored in Redis, shown by the API and rendered into messages: immutable.
 *
 * @param endsAt when it resolved; while firing, when it will resolve unless seen again (rules
 *               with {@code resolve-after}), else null
 * @param resolvingSince a flapping alert's source said "over" at this time; it stays firing
 *               until it has been quiet for the flap settle time
 */
public record AlertData(String fingerprint, String alertname, Map<String, String> labels, Map<String, String> subject,
        AlertState state, Instant activeAt, Instant startsAt, Instant endsAt, Instant lastSeenAt, Instant updatedAt,
        Map<String, String> annotations, List<Link> links, int count, List<Occurrence> occurrences,
        List<Double> series, int flips, boolean flapping, Instant resolvingSince) {

    public AlertData {
        labels = Map.copyOf(labels);
        subject = Map.copyOf(subject);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        links = links == null ? List.of() : List.copyOf(links);
        occurrences = occurrences == null ? List.of() : List.copyOf(occurrences);
        series = series == null ? List.of() : List.copyOf(series);
    }

    public Labels labelSet() {
        return Labels.of(labels);
    }

    public String severity() {
        return labels.getOrDefault("severity", "");
    }

    public String summary() {
        return annotations.getOrDefault("summary", alertname);
    }

    public boolean firing() {
        return state == AlertState.FIRING;
    }
}
