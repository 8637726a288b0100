package dev.ghost.ml.signal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import dev.ghost.common.patch.CanonicalJson;

/**
 * One thing the ML monitor wants a human to know, rich enough for the alerting issue to group,
 * deduplicate, inhibit and word a message: labels (source, service, instance, target, series,
 * template, failureType...), a severity hint, a score in [0, 1], a one-line summary, links to
 * the evidence (API paths), when it was observed and detected, and kind-specific details.
 *
 * @param fingerprint stable over repeats of the same condition: kind plus labels
 */
public record Signal(String id, SignalKind kind, Severity severity, double score, String summary,
        Map<String, String> labels, List<String> evidence, Instant observedAt, Instant detectedAt,
        Map<String, Object> details, String fingerprint) {

    public Signal {
        labels = Map.copyOf(labels);
        evidence = List.copyOf(evidence);
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    public static Signal of(SignalKind kind, Severity severity, double score, String summary, Map<String, String> labels,
            List<String> evidence, Instant observedAt, Map<String, Object> details) {
        Map<String, String> sorted = new TreeMap<>(labels);
        String fingerprint = CanonicalJson.sha256Hex(kind.key() + "|" + sorted).substring(0, 16);
        return new Signal(UUID.randomUUID().toString(), kind, severity, score, summary, labels, evidence, observedAt,
                Instant.now(), details, fingerprint);
    }

    public String label(String name) {
        return labels.getOrDefault(name, "");
    }
}
