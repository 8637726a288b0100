package dev.ghost.alerting.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.ghost.alerting.model.Labels;
import dev.ghost.alerting.model.Matchers;

/**
 * A node of the routing tree with every value resolved (inherited from its parent where unset).
 *
 * @param id the node's path in the tree ({@code 0}, {@code 0.1}, ...), stable while the configuration is
 * @param groupBy label names; empty with {@code groupByAll} means "every label" (Alertmanager's {@code ...})
 */
public record Route(String id, String receiver, Matchers matchers, List<String> groupBy, boolean groupByAll,
        Duration groupWait, Duration groupInterval, Duration repeatInterval, Duration resolveWait,
        boolean continueMatching, int rateMessages, Duration rateWindow, int maxAlertsPerMessage, List<Route> routes) {

    /** Alertmanager's matching: the deepest matching nodes, siblings after a match only with {@code continue}. */
    public List<Route> match(Labels labels) {
        if (!matchers.matches(labels)) {
            return List.of();
        }
        List<Route> all = new ArrayList<>();
        for (Route child : routes) {
            List<Route> matched = child.match(labels);
            all.addAll(matched);
            if (!matched.isEmpty() && !child.continueMatching) {
                break;
            }
        }
        return all.isEmpty() ? List.of(this) : all;
    }

    /** The labels that name an alert's group on this route. */
    public Map<String, String> groupLabels(Labels labels) {
        if (groupByAll) {
            return labels.map();
        }
        Map<String, String> group = new TreeMap<>();
        for (String name : groupBy) {
            String value = labels.get(name);
            if (!value.isEmpty()) {
                group.put(name, value);
            }
        }
        return group;
    }

    public boolean rateLimited() {
        return rateMessages > 0;
    }
}
