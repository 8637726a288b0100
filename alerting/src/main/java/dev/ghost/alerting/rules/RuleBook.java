package dev.ghost.alerting.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.ghost.alerting.config.AlertingProperties;
import dev.ghost.alerting.model.Labels;
import dev.ghost.alerting.model.Matchers;

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
            if (rule.alert() == null || !Labels.NAME.matcher(rule.alert()).matches()) {
                throw new IllegalStateException(where + ".alert must be a name like InstanceDown (was '" + rule.alert() + "')");
            }
            if (!names.add(rule.alert())) {
                throw new IllegalStateException(where + ": a second rule named " + rule.alert());
            }
            if (rule.signals().isEmpty()) {
                throw new IllegalStateException(where + " (" + rule.alert() + ") names no signals");
            }
            if (rule.minCount() < 1) {
                throw new IllegalStateException(where + " (" + rule.alert() + "): min-count must be at least 1");
            }
            if (rule.pendingFor().isNegative() || rule.resolveAfter().isNegative()) {
                throw new IllegalStateException(where + " (" + rule.alert() + "): durations must not be negative");
            }
            rule.labels().keySet().forEach(label -> {
                if (!Labels.NAME.matcher(label).matches()) {
                    throw new IllegalStateException(where + " (" + rule.alert() + "): invalid label name '" + label + "'");
                }
            });
            Matchers matchers;
            try {
                matchers = Matchers.parse(rule.matchers());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(where + " (" + rule.alert() + "): " + e.getMessage(), e);
            }
            if (rule.enabled()) {
                rules.add(new AlertRule(rule.alert(), Set.copyOf(rule.signals()), Set.copyOf(rule.resolvedBy()),
                        matchers, rule.severity(), rule.pendingFor(), rule.above(), rule.below(), rule.minCount(),
                        rule.resolveAfter(), Map.copyOf(rule.labels()), rule.summary()));
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
