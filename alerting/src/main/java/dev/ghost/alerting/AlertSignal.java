package dev.ghost.alerting;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Something a source reports, before rules decide whether it alerts: a {@code name} such as
 * {@code health.instance.down} or {@code patch.failed}, the {@code subject} it is about
 * (identity labels: {@code service}+{@code instance}, {@code target}, ...), an optional numeric
 * {@code value} that rule thresholds compare, details for the message, and recent values of the
 * series behind it (for the sparkline). Rules name which signals fire an alert and which
 * resolve it; a resolving signal resolves the alert with the same subject.
 *
 * @param eventId the source event's id, for tracing; may be null
 */
public record AlertSignal(String name, Map<String, String> subject, Double value, Map<String, String> annotations,
        List<Link> links, List<Double> series, Instant at, String eventId) {

    /** Annotation a source sets when it already knows the subject flaps ({@code true}). */
    public static final String FLAPPING = "flapping";
    /** Annotation: how many times the subject flipped, as the source counted. */
    public static final String FLIPS = "flips";
    /** Annotation a resolving source sets when the subject settled after flapping: resolve at once. */
    public static final String SETTLED = "settled";
    /** Annotation: the failure type GHOST classified, with its probability in {@link #CAUSE_PROBABILITY}. */
    public static final String CAUSE = "cause";
    public static final String CAUSE_PROBABILITY = "causeProbability";

    public AlertSignal {
        subject = Map.copyOf(subject);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        links = links == null ? List.of() : List.copyOf(links);
        series = series == null ? List.of() : List.copyOf(series);
        at = at == null ? Instant.now() : at;
    }

    public boolean hint(String annotation) {
        return "true".equals(annotations.get(annotation));
    }
}
