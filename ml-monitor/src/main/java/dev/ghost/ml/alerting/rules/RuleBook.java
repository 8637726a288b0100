package dev.ghost.ml.alerting.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.ghost.ml.alerting.AlertingProperties;
import dev.ghost.ml.alerting.model.Labels;
import dev.ghost.ml.alerting.model.Matchers;

/**
 * The rules, indexed by the signal names that fire and resolve them. Built once from
 * configuration; an invalid rule stops the start with a message naming it.
 */
public final class RuleBook {

    private final List<AlertRule> rules;
    private final Map<String, List<AlertRule>> firing = new HashMap<>();
    private final Map<String, List<AlertRule>> resolving = new HashMap<>();

    public RuleBook(List<AlertRule> rules) {
        this.rules = List.copyOf(rules);
        for (AlertRule rule : rules) {
            rule.signals().forEach(signal -> firing.computeIfAbsent(signal, s -> new ArrayList<>()).add(rule));
            rule.resolvedBy().forEach(signal -> resolving.computeIfAbsent(signal, s -> new ArrayList<>()).add(rule));
        }
    }

    public static RuleBook from(List<AlertingProperties.Rule> configured) {
        List<AlertRule> rules = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < configured.size(); i++) {
            AlertingProperties.Rule rule = configured.get(i);
            String where = "ghost.alerting.rules[" + i + "]";
            if (rule.getAlert() == null || !Labels.NAME.matcher(rule.getAlert()).matches()) {
                throw new IllegalStateException(where + ".alert must be a name like InstanceDown (was '" + rule.getAlert() + "')");
            }
            if (!names.add(rule.getAlert())) {
                throw new IllegalStateException(where + ": a second rule named " + rule.getAlert());
            }
            if (rule.getSignals().isEmpty()) {
                throw new IllegalStateException(where + " (" + rule.getAlert() + ") names no signals");
            }
            if (rule.getMinCount() < 1) {
                throw new IllegalStateException(where + " (" + rule.getAlert() + "): min-count must be at least 1");
            }
            if (rule.getFor().isNegative() || rule.getResolveAfter().isNegative()) {
                throw new IllegalStateException(where + " (" + rule.getAlert() + "): durations must not be negative");
            }
            rule.getLabels().keySet().forEach(label -> {
                if (!Labels.NAME.matcher(label).matches()) {
                    throw new IllegalStateException(where + " (" + rule.getAlert() + "): invalid label name '" + label + "'");
                }
            });
            Matchers matchers;
            try {
                matchers = Matchers.parse(rule.getMatchers());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(where + " (" + rule.getAlert() + "): " + e.getMessage(), e);
            }
            if (rule.isEnabled()) {
                rules.add(new AlertRule(rule.getAlert(), Set.copyOf(rule.getSignals()), Set.copyOf(rule.getResolvedBy()),
                        matchers, rule.getSeverity(), rule.getFor(), rule.getAbove(), rule.getBelow(), rule.getMinCount(),
                        rule.getResolveAfter(), Map.copyOf(rule.getLabels()), rule.getSummary()));
            }
        }
        return new RuleBook(rules);
    }

    public List<AlertRule> firedBy(String signal) {
        return firing.getOrDefault(signal, List.of());
    }

    public List<AlertRule> resolvedBy(String signal) {
        return resolving.getOrDefault(signal, List.of());
    }

    public List<AlertRule> all() {
        return rules;
    }
}
