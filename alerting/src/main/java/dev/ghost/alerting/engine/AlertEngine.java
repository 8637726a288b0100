package dev.ghost.alerting.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ghost.alerting.model.Alert;
import dev.ghost.alerting.model.AlertData;
import dev.ghost.alerting.model.AlertState;
import dev.ghost.alerting.model.Labels;
import dev.ghost.alerting.AlertSignal;
import dev.ghost.alerting.Link;
import dev.ghost.alerting.rules.AlertRule;
import dev.ghost.alerting.rules.RuleBook;

/**
 * Turns signals into alerts by the rules, with Prometheus' states (pending for {@code for},
 * firing, resolved) and one addition: an alert that fires again within the flap window after it
 * resolved continues the same episode, marked flapping, and then resolves only once its source
 * has been quiet for the settle time (or says it settled). Pure logic: no I/O, no clock of its
 * own, driven by one thread (the alerting loop).
 */
public final class AlertEngine {

    private static final Logger log = LoggerFactory.getLogger(AlertEngine.class);

    private final RuleBook rules;
    private final Map<String, AlertRule> ruleByAlert = new HashMap<>();
    private final Duration flapWindow;
    private final Duration settle;
    private final Duration recentlyResolved;
    private final int maxAlerts;
    private final Duration resolveTimeout;
    private final Map<String, Alert> alerts = new LinkedHashMap<>();
    private long refused;

    /**
     * @param maxAlerts      alerts kept at most (every state); a new one beyond is refused, counted and logged,
     *                       so a flood of distinct subjects cannot exhaust memory or Redis
     * @param resolveTimeout a pushed alert without {@code endsAt} resolves this long after it was last pushed
     *                       (Alertmanager's {@code resolve_timeout})
     */
    public AlertEngine(RuleBook rules, Duration flapWindow, Duration settle, Duration recentlyResolved, int maxAlerts,
            Duration resolveTimeout) {
        this.resolveTimeout = resolveTimeout;
        this.rules = rules;
        rules.all().forEach(rule -> ruleByAlert.put(rule.alert(), rule));
        this.flapWindow = flapWindow;
        this.settle = settle;
        this.recentlyResolved = recentlyResolved;
        this.maxAlerts = maxAlerts;
    }

    /**
     * Takes the stored alerts as the whole state (after a restart, or when this member becomes the leader);
     * those whose rule is gone resolve now (their firing was told).
     */
    public void restore(Collection<AlertData> stored, Instant now, Changes changes) {
        alerts.clear();
        for (AlertData data : stored) {
            Alert alert = Alert.restore(data);
            boolean ruleGone = !alert.pushed() && !ruleByAlert.containsKey(alert.alertname());
            if (ruleGone && alert.state() == AlertState.PENDING) {
                changes.removed(alert.fingerprint());
                continue;
            }
            alerts.put(alert.fingerprint(), alert);
            if (ruleGone && alert.state() == AlertState.FIRING) {
                log.info("Alert {} {} has no rule any more: resolving it", alert.alertname(), alert.labels());
                resolveNow(alert, now, now, changes);
            }
        }
    }

    public void apply(AlertSignal signal, Instant now, Changes changes) {
        for (AlertRule rule : rules.firedBy(signal.name())) {
            if (rule.passes(signal)) {
                fire(rule, signal, now, changes);
            }
        }
        for (AlertRule rule : rules.resolvedBy(signal.name())) {
            Alert alert = alerts.get(rule.labelsFor(signal.subject()).fingerprint());
            if (alert != null && alert.state() != AlertState.RESOLVED) {
                alert.annotate("resolvedBy", signal.name());
                resolve(alert, now, signal.hint(AlertSignal.SETTLED), changes);
            }
        }
    }

    /**
     * An alert pushed through the Alertmanager API: fires at once (the source waited out its own {@code for}),
     * stays firing while it is pushed again, resolves at its {@code endsAt}. Repeats are not occurrences:
     * Prometheus re-sends every firing alert each evaluation.
     */
    public void push(PushedAlert pushed, Instant now, Changes changes) {
        Labels labels = pushed.labels();
        Alert alert = alerts.get(labels.fingerprint());
        if (pushed.endsAt() != null && !pushed.endsAt().isAfter(now)) {
            if (alert != null && alert.state() == AlertState.FIRING) {
                alert.annotate("resolvedBy", "its source (endsAt " + pushed.endsAt() + ")");
                resolveNow(alert, pushed.endsAt(), now, changes);
            }
            return; // an alert that ended before GHOST knew of it is no news
        }
        if (alert == null && refuse(labels.get("alertname"), labels)) {
            return;
        }
        List<Link> links = pushed.generatorUrl() == null || pushed.generatorUrl().isBlank() ? List.of()
                : List.of(new Link("Source", pushed.generatorUrl()));
        AlertSignal signal = new AlertSignal("api.alert", labels.map(), null, pushed.annotations(), links, List.of(),
                pushed.startsAt() != null ? pushed.startsAt() : now, null);
        Instant startsAt = pushed.startsAt() != null && !pushed.startsAt().isAfter(now) ? pushed.startsAt() : now;
        if (alert == null) {
            alert = Alert.pushed(labels, now);
            alerts.put(alert.fingerprint(), alert);
            alert.seen(signal, now);
            alert.fire(startsAt, now);
            changes.transition(now, Changes.Kind.FIRING, alert);
        } else if (alert.state() == AlertState.RESOLVED) {
            if (!alert.endsAt().plus(flapWindow).isBefore(now)) {
                alert.refire(now);
                changes.transition(now, Changes.Kind.REFIRING, alert);
            } else {
                alert.restart(now);
                alert.fire(startsAt, now);
                changes.transition(now, Changes.Kind.FIRING, alert);
            }
            alert.seen(signal, now);
        } else {
            alert.renew(signal, now);
        }
        alert.expectEnd(pushed.endsAt() != null ? pushed.endsAt() : now.plus(resolveTimeout));
        changes.changed(alert);
    }

    /** Whether a new alert must be refused because {@code max-alerts} are kept already (logged now and then). */
    private boolean refuse(String alertname, Labels labels) {
        if (alerts.size() < maxAlerts) {
            return false;
        }
        if (refused++ % 1000 == 0) {
            log.warn("{} alerts kept already (ghost.alerting.max-alerts): {} {} refused ({} refused so far)", maxAlerts,
                    alertname, labels, refused);
        }
        return true;
    }

    private void fire(AlertRule rule, AlertSignal signal, Instant now, Changes changes) {
        Labels labels = rule.labelsFor(signal.subject());
        Alert alert = alerts.get(labels.fingerprint());
        if (alert == null && refuse(rule.alert(), labels)) {
            return;
        }
        if (alert == null) {
            alert = new Alert(rule.alert(), labels, signal.subject(), now);
            alerts.put(alert.fingerprint(), alert);
        } else if (alert.state() == AlertState.RESOLVED) {
            if (!alert.endsAt().plus(flapWindow).isBefore(now)) {
                alert.refire(now);
                changes.transition(now, Changes.Kind.REFIRING, alert);
            } else {
                alert.restart(now);
            }
        } else {
            alert.unsettle(now);
        }
        boolean pendingBefore = alert.state() == AlertState.PENDING && alert.count() == 0;
        alert.seen(signal, now);
        if (rule.summary() != null || !alert.annotations().containsKey("summary")) {
            alert.annotate("summary", rule.summarize(labels, alert.annotations()));
        }
        if (!rule.resolveAfter().isZero()) {
            alert.expectEnd(now.plus(rule.resolveAfter()));
        }
        if (pendingBefore) {
            changes.transition(now, Changes.Kind.PENDING, alert);
        }
        promote(alert, rule, now, changes);
        changes.changed(alert);
    }

    private void resolve(Alert alert, Instant now, boolean settled, Changes changes) {
        if (alert.state() == AlertState.PENDING) {
            alerts.remove(alert.fingerprint());
            changes.transition(now, Changes.Kind.CANCELLED, alert);
            changes.removed(alert.fingerprint());
        } else if (alert.flapping() && !settled && !settle.isZero()) {
            alert.resolving(now);
            changes.changed(alert);
        } else {
            resolveNow(alert, now, now, changes);
        }
    }

    private void resolveNow(Alert alert, Instant at, Instant now, Changes changes) {
        alert.resolve(at, now);
        changes.transition(now, Changes.Kind.RESOLVED, alert);
        changes.changed(alert);
    }

    private void promote(Alert alert, AlertRule rule, Instant now, Changes changes) {
        if (alert.state() == AlertState.PENDING && alert.count() >= rule.minCount()
                && !alert.activeAt().plus(rule.pendingFor()).isAfter(now)) {
            alert.fire(now);
            changes.transition(now, Changes.Kind.FIRING, alert);
            changes.changed(alert);
        }
    }

    /** Advances the timers: {@code for} elapsed, flapping alerts settled, point-in-time alerts expired, old ones forgotten. */
    public void tick(Instant now, Changes changes) {
        List<Alert> forgotten = new ArrayList<>();
        for (Alert alert : alerts.values()) {
            AlertRule rule = ruleByAlert.get(alert.alertname());
            switch (alert.state()) {
                case PENDING -> {
                    promote(alert, rule, now, changes);
                    if (alert.state() == AlertState.PENDING && alert.endsAt() != null && !alert.endsAt().isAfter(now)) {
                        forgotten.add(alert); // a point-in-time signal that never reached its count
                        changes.transition(now, Changes.Kind.CANCELLED, alert);
                    }
                }
                case FIRING -> {
                    if (alert.resolvingSince() != null && !alert.resolvingSince().plus(settle).isAfter(now)) {
                        resolveNow(alert, alert.resolvingSince(), now, changes);
                    } else if (alert.resolvingSince() == null && alert.endsAt() != null && !alert.endsAt().isAfter(now)) {
                        alert.annotate("resolvedBy", alert.pushed() ? "not pushed again before its endsAt"
                                : "not seen for " + rule.resolveAfter());
                        resolveNow(alert, alert.endsAt(), now, changes);
                    }
                }
                case RESOLVED -> {
                    if (alert.endsAt().plus(recentlyResolved).isBefore(now)) {
                        forgotten.add(alert);
                    }
                }
            }
        }
        forgotten.forEach(alert -> {
            alerts.remove(alert.fingerprint());
            changes.removed(alert.fingerprint());
        });
    }

    /** When {@link #tick} next has something to do (null: nothing is waiting on time). */
    public Instant nextDue() {
        Instant next = null;
        for (Alert alert : alerts.values()) {
            Instant due = switch (alert.state()) {
                case PENDING -> {
                    AlertRule rule = ruleByAlert.get(alert.alertname());
                    Instant ready = alert.count() >= rule.minCount() ? alert.activeAt().plus(rule.pendingFor()) : null;
                    yield earliest(ready, alert.endsAt());
                }
                case FIRING -> alert.resolvingSince() != null ? alert.resolvingSince().plus(settle) : alert.endsAt();
                case RESOLVED -> alert.endsAt().plus(recentlyResolved);
            };
            next = earliest(next, due);
        }
        return next;
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    /** New alerts refused because {@code max-alerts} were kept already. */
    public long refused() {
        return refused;
    }

    public Collection<Alert> alerts() {
        return alerts.values();
    }

    public List<AlertData> snapshot() {
        return alerts.values().stream().map(Alert::data).toList();
    }
}
