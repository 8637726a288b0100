package dev.ghost.alerting.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ghost.alerting.inhibition.Inhibitor;
import dev.ghost.alerting.model.AlertData;
import dev.ghost.alerting.model.AlertState;
import dev.ghost.alerting.model.Labels;
import dev.ghost.alerting.notify.Notification;
import dev.ghost.alerting.silences.Silence;

/**
 * Alertmanager's dispatch: each alert goes down the routing tree into groups; a group's first
 * message waits {@code group-wait} to gather its companions, later ones come at most every
 * {@code group-interval} when the set of firing alerts grew, soon after a resolve
 * ({@code resolve-wait}), and again after {@code repeat-interval} while firing. Silenced and
 * inhibited alerts are left out (dedup is by fingerprint: an alert already told is not told
 * again). A route over its rate limit sends one summary of every waiting group instead of one
 * message each. Pure logic: no I/O, driven by the alerting loop's thread.
 */
public final class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final Comparator<AlertData> ORDER = Comparator
            .comparingInt((AlertData a) -> severityRank(a.severity()))
            .thenComparing(a -> a.startsAt() == null ? Instant.MAX : a.startsAt())
            .thenComparing(AlertData::fingerprint);

    /** Why an alert is not notified: the silences that match it, the alert that inhibits it. */
    public record MuteInfo(List<String> silencedBy, String inhibitedBy) {
    }

    /** The outcome of one flush: what to send, which group states to store or delete, what is muted. */
    public record Result(List<Notification> notices, List<GroupState> changed, Set<String> removed, Map<String, MuteInfo> muted) {
    }

    /** A group that has something to tell; {@code holding}: resolved alerts still within resolve-wait. */
    private record Candidate(Route route, GroupState state, List<AlertData> firing, List<AlertData> resolved,
            Set<String> holding, int muted, Notification.Kind kind) {
    }

    private final Route root;
    private final Map<String, Route> routes = new HashMap<>();
    private final Inhibitor inhibitor;
    private final Duration dormantRetention;
    private final Duration rejoinWindow;
    private final Map<String, GroupState> groups = new LinkedHashMap<>();
    private final Map<String, RateLimiter> limiters = new HashMap<>();
    private final Set<String> heldRoutes = new HashSet<>();

    /**
     * @param dormantRetention how long a quiet group's state (its message count) is kept
     * @param rejoinWindow     a group firing again this soon after resolving continues its Slack message
     */
    public Dispatcher(Route root, Inhibitor inhibitor, Duration dormantRetention, Duration rejoinWindow) {
        this.root = root;
        index(root);
        this.inhibitor = inhibitor;
        this.dormantRetention = dormantRetention;
        this.rejoinWindow = rejoinWindow;
    }

    private void index(Route route) {
        routes.put(route.id(), route);
        route.routes().forEach(this::index);
    }

    /** Takes back stored group states; those of routes no longer configured are dropped (returned). */
    public Set<String> restore(Collection<GroupState> stored) {
        groups.clear();
        Set<String> dropped = new LinkedHashSet<>();
        for (GroupState state : stored) {
            Route route = routes.get(state.routeId());
            if (route == null || !route.receiver().equals(state.receiver())) {
                log.info("Group {} belongs to a route no longer configured: forgotten", state.key());
                dropped.add(state.key());
            } else {
                groups.put(state.key(), state);
            }
        }
        return dropped;
    }

    public Result flush(Instant now, Collection<AlertData> alerts, List<Silence.Compiled> silences) {
        List<AlertData> firingAll = alerts.stream().filter(AlertData::firing).toList();
        Map<String, MuteInfo> muted = new HashMap<>();
        for (AlertData alert : firingAll) {
            Labels labels = alert.labelSet();
            List<String> silencedBy = silences.stream().filter(s -> s.mutes(labels, now)).map(s -> s.silence().id()).toList();
            String inhibitedBy = inhibitor.inhibitedBy(alert, firingAll);
            if (!silencedBy.isEmpty() || inhibitedBy != null) {
                muted.put(alert.fingerprint(), new MuteInfo(silencedBy, inhibitedBy));
            }
        }
        Map<String, Bucket> buckets = bucket(alerts);
        Set<String> keys = new LinkedHashSet<>(groups.keySet());
        keys.addAll(buckets.keySet());

        List<GroupState> changed = new ArrayList<>();
        Set<String> removed = new LinkedHashSet<>();
        Map<Route, List<Candidate>> wanting = new LinkedHashMap<>();
        for (String key : keys) {
            Bucket bucket = buckets.get(key);
            GroupState state = groups.get(key);
            Route route = bucket != null ? bucket.route : routes.get(state.routeId());
            List<AlertData> members = bucket == null ? List.of() : bucket.alerts;
            Set<String> toldFiring = state == null || state.dormant() ? Set.of() : state.notified();
            // A flapping alert settling after its source said "over" stays firing only so that a group which told
            // it does not flap with it; to a group that never told it (it was inhibited, silenced) it is no news.
            List<AlertData> firing = members.stream().filter(a -> a.firing() && !muted.containsKey(a.fingerprint()))
                    .filter(a -> a.resolvingSince() == null || toldFiring.contains(a.fingerprint()))
                    .sorted(ORDER).toList();
            if (state == null || state.dormant()) {
                if (firing.isEmpty()) {
                    if (state != null && state.dormantSince().plus(dormantRetention).isBefore(now)) {
                        groups.remove(key);
                        removed.add(key);
                    }
                    continue;
                }
                state = state == null
                        ? new GroupState(key, groupId(route, bucket.labels), route.id(), route.receiver(), bucket.labels,
                                Set.of(), now, null, now.plus(route.groupWait()), 0, null)
                        : state.wake(now, now.plus(route.groupWait()), !state.dormantSince().plus(rejoinWindow).isBefore(now));
                store(state, changed);
            }
            Instant next = resolveDeadline(state, members, route, now);
            if (next.isBefore(state.nextFlushAt())) {
                state = state.flushAt(next);
                store(state, changed);
            }
            if (state.nextFlushAt().isAfter(now)) {
                continue;
            }
            Set<String> notified = state.notified();
            // A resolve is told resolve-wait after it happened; until then the alert counts as still told (a quick
            // return is then no news at all).
            List<AlertData> resolved = new ArrayList<>();
            Set<String> holding = new HashSet<>();
            for (AlertData alert : members) {
                if (alert.state() == AlertState.RESOLVED && notified.contains(alert.fingerprint())) {
                    if (alert.endsAt().plus(route.resolveWait()).isAfter(now)) {
                        holding.add(alert.fingerprint());
                    } else {
                        resolved.add(alert);
                    }
                }
            }
            resolved.sort(ORDER);
            boolean grew = firing.stream().anyMatch(a -> !notified.contains(a.fingerprint()));
            boolean repeat = !firing.isEmpty() && state.lastNotifiedAt() != null
                    && !state.lastNotifiedAt().plus(route.repeatInterval()).isAfter(now);
            if (grew || !resolved.isEmpty() || repeat) {
                Notification.Kind kind = firing.isEmpty() && holding.isEmpty() ? Notification.Kind.RESOLVED
                        : grew ? Notification.Kind.FIRING : !resolved.isEmpty() ? Notification.Kind.UPDATE : Notification.Kind.REPEAT;
                int mutedHere = (int) members.stream().filter(a -> muted.containsKey(a.fingerprint())).count();
                wanting.computeIfAbsent(route, r -> new ArrayList<>())
                        .add(new Candidate(route, state, firing, resolved, holding, mutedHere, kind));
            } else if (firing.isEmpty() && holding.isEmpty()) {
                store(state.sleep(now, state.seq()), changed); // everything told went quiet (silenced, inhibited)
            } else {
                Set<String> still = firing.stream().map(AlertData::fingerprint).filter(notified::contains)
                        .collect(Collectors.toCollection(HashSet::new));
                still.addAll(holding);
                store(state.forget(still, now.plus(route.groupInterval())), changed);
            }
        }

        List<Notification> notices = new ArrayList<>();
        heldRoutes.clear();
        wanting.forEach((route, candidates) -> send(route, candidates, now, notices, changed));
        return new Result(notices, changed, removed, muted);
    }

    /** Resolved (or vanished) alerts that the group told as firing are due resolve-wait after they ended. */
    private static Instant resolveDeadline(GroupState state, List<AlertData> members, Route route, Instant now) {
        Instant next = state.nextFlushAt();
        Map<String, AlertData> byFingerprint = members.stream().collect(Collectors.toMap(AlertData::fingerprint, a -> a));
        for (String fingerprint : state.notified()) {
            AlertData alert = byFingerprint.get(fingerprint);
            Instant due = alert == null ? now
                    : alert.state() == AlertState.RESOLVED ? alert.endsAt().plus(route.resolveWait()) : null;
            if (due != null && due.isBefore(next)) {
                next = due;
            }
        }
        return next;
    }

    private void send(Route route, List<Candidate> candidates, Instant now, List<Notification> notices, List<GroupState> changed) {
        RateLimiter limiter = route.rateLimited()
                ? limiters.computeIfAbsent(route.id(), id -> new RateLimiter(route.rateMessages(), route.rateWindow()))
                : null;
        int available = limiter == null ? Integer.MAX_VALUE : limiter.available(now);
        if (candidates.size() <= available) {
            for (Candidate candidate : candidates) {
                notices.add(notice(candidate, candidate.state.nextNotificationId(), now));
                told(candidate, now, changed);
                if (limiter != null) {
                    limiter.record(now);
                }
            }
        } else if (available >= 1) {
            List<Notification> summarized = candidates.stream().map(c -> notice(c, c.state.nextNotificationId(), now)).toList();
            String id = "storm-" + Labels.of(Map.of("groups", summarized.stream().map(Notification::id).sorted()
                    .collect(Collectors.joining(",")))).fingerprint();
            notices.add(new Notification(id, Notification.Kind.STORM, route.receiver(), route.id(), null, Map.of(), List.of(), List.of(),
                    0, true, route.maxAlertsPerMessage(), now, summarized, null));
            candidates.forEach(candidate -> told(candidate, now, changed));
            limiter.record(now);
        } else {
            heldRoutes.add(route.id()); // over the limit: the groups wait, still due, for the next free slot
        }
    }

    private static Notification notice(Candidate c, String id, Instant now) {
        return new Notification(id, c.kind, c.route.receiver(), c.route.id(), c.state.id(), c.state.groupLabels(), c.firing,
                c.resolved, c.muted, c.state.lastNotifiedAt() == null, c.route.maxAlertsPerMessage(), now, List.of(), null);
    }

    private void told(Candidate c, Instant now, List<GroupState> changed) {
        Set<String> told = c.firing.stream().map(AlertData::fingerprint).collect(Collectors.toCollection(HashSet::new));
        told.addAll(c.holding);
        GroupState state = told.isEmpty()
                ? c.state.sleep(now, c.state.seq() + 1)
                : c.state.told(told, now, now.plus(c.route.groupInterval()));
        store(state, changed);
    }

    private void store(GroupState state, List<GroupState> changed) {
        groups.put(state.key(), state);
        changed.removeIf(s -> s.key().equals(state.key()));
        changed.add(state);
    }

    private Map<String, Bucket> bucket(Collection<AlertData> alerts) {
        Map<String, Bucket> buckets = new LinkedHashMap<>();
        for (AlertData alert : alerts) {
            if (alert.state() == AlertState.PENDING) {
                continue;
            }
            for (Route route : root.match(alert.labelSet())) {
                Map<String, String> labels = route.groupLabels(alert.labelSet());
                String key = route.id() + "|" + new TreeMap<>(labels);
                buckets.computeIfAbsent(key, k -> new Bucket(route, labels)).alerts.add(alert);
            }
        }
        return buckets;
    }

    /** A group's id: the fingerprint of its route and group labels (what notifications and messages carry). */
    public static String groupId(Route route, Map<String, String> labels) {
        Map<String, String> identity = new TreeMap<>(labels);
        identity.put("__route__", route.id());
        return Labels.of(identity).fingerprint();
    }

    /** When a flush next has work (null: nothing waits on time). */
    public Instant nextDue(Instant now) {
        Instant next = null;
        for (GroupState state : groups.values()) {
            Instant due = state.dormant() ? null : state.nextFlushAt();
            if (due != null && heldRoutes.contains(state.routeId())) {
                RateLimiter limiter = limiters.get(state.routeId());
                Instant slot = limiter == null ? due : limiter.nextSlot(now);
                due = slot.isAfter(due) ? slot : due;
            }
            if (due != null && (next == null || due.isBefore(next))) {
                next = due;
            }
        }
        return next;
    }

    public Collection<GroupState> groups() {
        return groups.values();
    }

    private static int severityRank(String severity) {
        return switch (severity) {
            case "critical" -> 0;
            case "warning" -> 1;
            case "info" -> 2;
            default -> 3;
        };
    }

    private static final class Bucket {
        final Route route;
        final Map<String, String> labels;
        final List<AlertData> alerts = new ArrayList<>();

        Bucket(Route route, Map<String, String> labels) {
            this.route = route;
            this.labels = labels;
        }
    }
}
