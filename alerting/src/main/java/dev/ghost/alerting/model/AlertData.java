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
 * @param pushed  pushed through the Alertmanager API ({@code POST /api/v2/alerts}, e.g. by Prometheus): its labels
 *               are what the source sent, no rule of GHOST's made it, and it ends at {@code endsAt} unless pushed again
 */
public record AlertData(String fingerprint, String alertname, Map<String, String> labels, Map<String, String> subject,
        AlertState state, Instant activeAt, Instant startsAt, Instant endsAt, Instant lastSeenAt, Instant updatedAt,
        Map<String, String> annotations, List<Link> links, int count, List<Occurrence> occurrences,
        List<Double> series, int flips, boolean flapping, Instant resolvingSince, Boolean pushed) {

    public AlertData {
        labels = Map.copyOf(labels);
        subject = Map.copyOf(subject);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        links = links == null ? List.of() : List.copyOf(links);
        occurrences = occurrences == null ? List.of() : List.copyOf(occurrences);
        series = series == null ? List.of() : List.copyOf(series);
        pushed = Boolean.TRUE.equals(pushed); // absent in alerts stored before the Alertmanager API existed
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
