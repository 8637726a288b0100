package dev.ghost.alerting.rules;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.ghost.alerting.model.Labels;
import dev.ghost.alerting.model.Matchers;
import dev.ghost.alerting.AlertSignal;

/** One validated rule of {@code ghost.alerting.rules}. */
public record AlertRule(String alert, Set<String> signals, Set<String> resolvedBy, Matchers matchers, String severity,
        Duration pendingFor, Double above, Double below, int minCount, Duration resolveAfter, Map<String, String> labels,
        String summary) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z_][a-zA-Z0-9_]*)}");

    /** Whether a firing signal passes this rule's matchers and thresholds (a signal without a value passes thresholds). */
    public boolean passes(AlertSignal signal) {
        if (!matchers.matches(Labels.of(signal.subject()))) {
            return false;
        }
        Double value = signal.value();
        if (value == null) {
            return above == null && below == null;
        }
        return (above == null || value >= above) && (below == null || value <= below);
    }

    /** The alert's labels: its name and severity, the rule's extra labels, then the signal's subject. */
    public Labels labelsFor(Map<String, String> subject) {
        Map<String, String> labels = new LinkedHashMap<>(this.labels);
        labels.put("alertname", alert);
        labels.put("severity", severity);
        labels.putAll(subject);
        return Labels.of(labels);
    }

    /** The summary with {@code {name}} replaced by the label or annotation of that name ("?" if neither exists). */
    public String summarize(Labels labels, Map<String, String> annotations) {
        if (summary == null || summary.isBlank()) {
            return alert + " " + labels.map().entrySet().stream()
                    .filter(e -> !e.getKey().equals("alertname") && !e.getKey().equals("severity"))
                    .map(e -> e.getKey() + "=" + e.getValue()).toList();
        }
        Matcher matcher = PLACEHOLDER.matcher(summary);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            String value = labels.map().containsKey(name) ? labels.get(name) : annotations.getOrDefault(name, "?");
            matcher.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(out);
        return out.toString();
    }
}
