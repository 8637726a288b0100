package dev.ghost.alerting.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.ghost.alerting.config.AlertingProperties;
import dev.ghost.alerting.model.Labels;
import dev.ghost.alerting.model.Matchers;

/** Builds the routing tree from {@code ghost.alerting.route}, with defaults chosen for fast, quiet alerting. */
public final class RouteTree {

    static final List<String> DEFAULT_GROUP_BY = List.of("alertname");
    static final Duration DEFAULT_GROUP_WAIT = Duration.ofSeconds(5);
    static final Duration DEFAULT_GROUP_INTERVAL = Duration.ofSeconds(30);
    static final Duration DEFAULT_REPEAT_INTERVAL = Duration.ofHours(4);
    static final Duration DEFAULT_RESOLVE_WAIT = Duration.ofSeconds(1);
    static final int DEFAULT_MAX_ALERTS = 10;
    static final int DEFAULT_RATE_MESSAGES = 10;
    static final Duration DEFAULT_RATE_WINDOW = Duration.ofMinutes(1);

    private RouteTree() {
    }

    /**
     * The root route; IllegalStateException naming the node when a matcher, receiver or duration is
     * invalid. A root without a receiver sends to the first of {@code receivers} (in configuration order).
     */
    public static Route build(AlertingProperties.Route root, Set<String> receivers) {
        String defaultReceiver = root.receiver() != null ? root.receiver() : receivers.stream().findFirst().orElse(null);
        Route defaults = new Route("", defaultReceiver, Matchers.ANY, DEFAULT_GROUP_BY, false, DEFAULT_GROUP_WAIT,
                DEFAULT_GROUP_INTERVAL, DEFAULT_REPEAT_INTERVAL, DEFAULT_RESOLVE_WAIT, false, DEFAULT_RATE_MESSAGES,
                DEFAULT_RATE_WINDOW, DEFAULT_MAX_ALERTS, List.of());
        return node(root, defaults, "0", true, receivers);
    }

    private static Route node(AlertingProperties.Route spec, Route parent, String id, boolean root, Set<String> receivers) {
        String where = "ghost.alerting.route" + (root ? "" : " (node " + id + ")");
        Matchers matchers;
        try {
            matchers = root ? Matchers.ANY : Matchers.parse(spec.matchers());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + ": " + e.getMessage(), e);
        }
        String receiver = spec.receiver() != null ? spec.receiver() : parent.receiver();
        if (receiver == null || !receivers.contains(receiver)) {
            throw new IllegalStateException(where + ": receiver '" + receiver + "' is not among ghost.alerting.receivers " + receivers);
        }
        List<String> groupBy = spec.groupBy() != null ? List.copyOf(spec.groupBy()) : parent.groupBy();
        boolean all = spec.groupBy() != null ? groupBy.contains("...") : parent.groupByAll();
        for (String label : groupBy) {
            if (!label.equals("...") && !Labels.NAME.matcher(label).matches()) {
                throw new IllegalStateException(where + ": group-by has an invalid label name '" + label + "'");
            }
        }
        AlertingProperties.RateLimit limit = spec.rateLimit();
        Route self = new Route(id, receiver, matchers, all ? List.of() : groupBy, all,
                positive(spec.groupWait(), parent.groupWait(), where, "group-wait", true),
                positive(spec.groupInterval(), parent.groupInterval(), where, "group-interval", false),
                positive(spec.repeatInterval(), parent.repeatInterval(), where, "repeat-interval", false),
                positive(spec.resolveWait(), parent.resolveWait(), where, "resolve-wait", true),
                spec.continueMatching() != null && spec.continueMatching(),
                limit != null ? limit.messages() : parent.rateMessages(),
                limit != null ? positive(limit.window(), parent.rateWindow(), where, "rate-limit.window", false) : parent.rateWindow(),
                spec.maxAlertsPerMessage() != null ? Math.max(1, spec.maxAlertsPerMessage()) : parent.maxAlertsPerMessage(),
                List.of());
        List<Route> children = new ArrayList<>();
        for (int i = 0; i < spec.routes().size(); i++) {
            children.add(node(spec.routes().get(i), self, id + "." + i, false, receivers));
        }
        return new Route(self.id(), self.receiver(), self.matchers(), self.groupBy(), self.groupByAll(), self.groupWait(),
                self.groupInterval(), self.repeatInterval(), self.resolveWait(), self.continueMatching(), self.rateMessages(),
                self.rateWindow(), self.maxAlertsPerMessage(), List.copyOf(children));
    }

    private static Duration positive(Duration value, Duration inherited, String where, String name, boolean zeroAllowed) {
        Duration chosen = value != null ? value : inherited;
        if (chosen.isNegative() || (!zeroAllowed && chosen.isZero())) {
            throw new IllegalStateException(where + ": " + name + " must be " + (zeroAllowed ? "zero or more" : "more than zero"));
        }
        return chosen;
    }
}
