package dev.ghost.alerting.inhibition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import dev.ghost.alerting.config.AlertingProperties;
import dev.ghost.alerting.model.AlertData;
import dev.ghost.alerting.model.Labels;
import dev.ghost.alerting.model.Matchers;

/**
 * Alertmanager's inhibition: a firing alert matching a rule's source matchers mutes every alert
 * matching its target matchers that has the same values of the {@code equal} labels (e.g. a
 * service DOWN mutes its instances' alerts and the anomalies on its metrics). An alert never
 * inhibits itself.
 */
public final class Inhibitor {

    public record Rule(Matchers source, Matchers target, List<String> equal) {

        boolean inhibits(AlertData source, Labels target) {
            Labels sourceLabels = source.labelSet();
            if (!this.source.matches(sourceLabels) || !this.target.matches(target)) {
                return false;
            }
            for (String label : equal) {
                if (!sourceLabels.get(label).equals(target.get(label))) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Rule> rules;

    public Inhibitor(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static Inhibitor from(List<AlertingProperties.Inhibit> configured) {
        List<Rule> rules = new ArrayList<>();
        for (int i = 0; i < configured.size(); i++) {
            AlertingProperties.Inhibit rule = configured.get(i);
            try {
                rules.add(new Rule(Matchers.parse(rule.sourceMatchers()), Matchers.parse(rule.targetMatchers()),
                        List.copyOf(rule.equal())));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("ghost.alerting.inhibit-rules[" + i + "]: " + e.getMessage(), e);
            }
        }
        return new Inhibitor(rules);
    }

    /** The fingerprint of a firing alert that inhibits {@code target}, or null. */
    public String inhibitedBy(AlertData target, Collection<AlertData> firing) {
        if (rules.isEmpty()) {
            return null;
        }
        Labels labels = target.labelSet();
        for (Rule rule : rules) {
            for (AlertData source : firing) {
                if (!source.fingerprint().equals(target.fingerprint()) && rule.inhibits(source, labels)) {
                    return source.fingerprint();
                }
            }
        }
        return null;
    }
}
