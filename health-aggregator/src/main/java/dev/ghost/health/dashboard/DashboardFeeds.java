package dev.ghost.health.dashboard;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.JsonNode;

/**
 * What the dashboard shows of other services, as typed items, read from their own answers: the
 * runner's {@code GET /patches} (an array of records), ml-monitor's {@code GET /anomalies}
 * ({@code {since, count, signals}}) and {@code GET /alerts} ({@code {alerts, at}}). The one place
 * in the aggregator that knows those shapes.
 */
public final class DashboardFeeds {

    private DashboardFeeds() {
    }

    /** Items from a source, or why there are none to show ({@code available: false} and a reason). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Feed<T>(boolean available, String source, String reason, List<T> items) {

        static <T> Feed<T> of(String source, List<T> items) {
            return new Feed<>(true, source, null, items);
        }

        static <T> Feed<T> unavailable(String source, String reason) {
            return new Feed<>(false, source, reason, null);
        }
    }

    /** @param at when it finished, else started, else was submitted */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PatchItem(String id, String status, String target, Instant at) {
    }

    /**
     * @param kind    anomaly, burst or new-template
     * @param subject what it is about: the source, service, instance or series of the signal
     * @param at      when the data showed it (observed), else when it was detected
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AnomalyItem(String kind, String severity, String summary, String subject, Double score, Instant at) {
    }

    /**
     * @param state firing, pending or resolved
     * @param at    when it resolved, for a resolved alert; else since when it fires (or waits)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AlertItem(String alertname, String state, String severity, String summary, Instant startsAt,
            Instant endsAt, Instant at) {
    }

    static List<PatchItem> patches(JsonNode records, int limit) {
        List<PatchItem> items = new ArrayList<>();
        for (JsonNode record : elements(records, null, limit)) {
            items.add(new PatchItem(text(record, "id"), text(record, "status"), text(record, "target"),
                    first(instant(record, "finishedAt"), instant(record, "startedAt"), instant(record, "submittedAt"))));
        }
        return items;
    }

    static List<AnomalyItem> anomalies(JsonNode answer, int limit) {
        List<AnomalyItem> items = new ArrayList<>();
        for (JsonNode signal : elements(answer, "signals", limit)) {
            JsonNode labels = signal.path("labels");
            String subject = null;
            for (String label : List.of("source", "service", "instance", "series")) {
                subject = subject != null ? subject : text(labels, label);
            }
            JsonNode score = signal.get("score");
            items.add(new AnomalyItem(key(text(signal, "kind")), key(text(signal, "severity")), text(signal, "summary"), subject,
                    score != null && score.isNumber() ? score.doubleValue() : null,
                    first(instant(signal, "observedAt"), instant(signal, "detectedAt"))));
        }
        return items;
    }

    static List<AlertItem> alerts(JsonNode answer, int limit) {
        List<AlertItem> items = new ArrayList<>();
        for (JsonNode alert : elements(answer, "alerts", limit)) {
            String state = text(alert, "state");
            Instant startsAt = instant(alert, "startsAt");
            Instant endsAt = instant(alert, "endsAt");
            Instant at = "resolved".equals(state) ? endsAt : first(startsAt, instant(alert, "activeAt"));
            items.add(new AlertItem(text(alert, "alertname"), state, text(alert, "severity"), text(alert, "summary"),
                    startsAt, endsAt, at));
        }
        return items;
    }

    /** The first {@code limit} elements of the array at {@code field} (or of the answer itself when field is null). */
    private static List<JsonNode> elements(JsonNode answer, String field, int limit) {
        JsonNode array = field == null ? answer : answer.path(field);
        if (array == null || !array.isArray()) {
            throw new IllegalArgumentException("the answer has no " + (field == null ? "array" : "'" + field + "' array"));
        }
        List<JsonNode> elements = new ArrayList<>();
        for (int i = 0; i < array.size() && i < limit; i++) {
            elements.add(array.get(i));
        }
        return elements;
    }

    /** ml-monitor names kinds and severities as enum constants (NEW_TEMPLATE); the page shows them as its API's keys (new-template). */
    private static String key(String constant) {
        return constant == null ? null : constant.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static Instant instant(JsonNode node, String field) {
        String text = text(node, field);
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant first(Instant... candidates) {
        for (Instant candidate : candidates) {
            if (candidate != null) {
                return candidate;
            }
        }
        return null;
    }
}
