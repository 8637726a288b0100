package dev.ghost.ml.alerting.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.ghost.ml.alerting.AlertingProperties;
import dev.ghost.ml.alerting.model.Labels;
import dev.ghost.ml.alerting.model.Matchers;

/** Builds the routing tree from {@code ghost.alerting.route}, with defaults chosen for fast, quiet alerting. */
public final class RouteTree {

    static final List<String> DEFAULT_GROUP_BY = List.of("alertname");
    static final Duration DEFAULT_GROUP_WAIT = Duration.ofSeconds(5);
    static final Duration DEFAULT_GROUP_INTERVAL = Duration.ofSeconds(30);
    static final Duration DEFAULT_REPEAT_INTERVAL = Duration.ofHours(4);
    static final Duration DEFAULT_RESOLVE_WAIT = Duration.ofSeconds(1);
    static final int DEFAULT_MAX_ALERTS = 10;

    private RouteTree() {
    }

    /** The root route; IllegalStateException naming the node when a matcher, receiver or duration is invalid. */
    public static Route build(AlertingProperties.Route root, Set<String> receivers) {
        AlertingProperties.RateLimit defaultLimit = new AlertingProperties.RateLimit();
        Route defaults = new Route("", root.getReceiver(), Matchers.ANY, DEFAULT_GROUP_BY, false, DEFAULT_GROUP_WAIT,
                DEFAULT_GROUP_INTERVAL, DEFAULT_REPEAT_INTERVAL, DEFAULT_RESOLVE_WAIT, false, defaultLimit.getMessages(),
                defaultLimit.getWindow(), DEFAULT_MAX_ALERTS, List.of());
        return node(root, defaults, "0", true, receivers);
    }

    private static Route node(AlertingProperties.Route spec, Route parent, String id, boolean root, Set<String> receivers) {
        String where = "ghost.alerting.route" + (root ? "" : " (node " + id + ")");
        Matchers matchers;
        try {
            matchers = root ? Matchers.ANY : Matchers.parse(spec.getMatchers());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(where + ": " + e.getMessage(), e);
        }
        String receiver = spec.getReceiver() != null ? spec.getReceiver() : parent.receiver();
        if (receiver == null || !receivers.contains(receiver)) {
            throw new IllegalStateException(where + ": receiver '" + receiver + "' is not among ghost.alerting.receivers " + receivers);
        }
        List<String> groupBy = spec.getGroupBy() != null ? List.copyOf(spec.getGroupBy()) : parent.groupBy();
        boolean all = spec.getGroupBy() != null ? groupBy.contains("...") : parent.groupByAll();
        for (String label : groupBy) {
            if (!label.equals("...") && !Labels.NAME.matcher(label).matches()) {
                throw new IllegalStateException(where + ": group-by has an invalid label name '" + label + "'");
            }
        }
        AlertingProperties.RateLimit limit = spec.getRateLimit();
        Route self = new Route(id, receiver, matchers, all ? List.of() : groupBy, all,
                positive(spec.getGroupWait(), parent.groupWait(), where, "group-wait", true),
                positive(spec.getGroupInterval(), parent.groupInterval(), where, "group-interval", false),
                positive(spec.getRepeatInterval(), parent.repeatInterval(), where, "repeat-interval", false),
                positive(spec.getResolveWait(), parent.resolveWait(), where, "resolve-wait", true),
                spec.getContinue() != null && spec.getContinue(),
                limit != null ? limit.getMessages() : parent.rateMessages(),
                limit != null ? positive(limit.getWindow(), parent.rateWindow(), where, "rate-limit.window", false) : parent.rateWindow(),
                spec.getMaxAlertsPerMessage() != null ? Math.max(1, spec.getMaxAlertsPerMessage()) : parent.maxAlertsPerMessage(),
                List.of());
        List<Route> children = new ArrayList<>();
        for (int i = 0; i < spec.getRoutes().size(); i++) {
            children.add(node(spec.getRoutes().get(i), self, id + "." + i, false, receivers));
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
