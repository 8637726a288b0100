package dev.ghost.alerting.model;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.ghost.alerting.AlertSignal;
import dev.ghost.alerting.Link;

/**
 * A live alert, owned and changed by the alerting loop only (not thread-safe); everyone else
 * sees {@link AlertData} snapshots.
 */
public final class Alert {

    static final int MAX_OCCURRENCES = 20;
    static final int MAX_SERIES = 60;

    private final String fingerprint;
    private final String alertname;
    private final Labels labels;
    private final Map<String, String> subject;
    private AlertState state;
    private Instant activeAt;
    private Instant startsAt;
    private Instant endsAt;
    private Instant lastSeenAt;
    private Instant updatedAt;
    private final Map<String, String> annotations = new LinkedHashMap<>();
    private final Map<String, Link> links = new LinkedHashMap<>();
    private int count;
    private final Deque<Occurrence> occurrences = new ArrayDeque<>();
    private List<Double> series = List.of();
    private int flips;
    private boolean flapping;
    private Instant resolvingSince;
    private final boolean pushed;

    public Alert(String alertname, Labels labels, Map<String, String> subject, Instant now) {
        this(alertname, labels, subject, now, false);
    }

    private Alert(String alertname, Labels labels, Map<String, String> subject, Instant now, boolean pushed) {
        this.pushed = pushed;
        this.fingerprint = labels.fingerprint();
        this.alertname = alertname;
        this.labels = labels;
        this.subject = Map.copyOf(subject);
        this.state = AlertState.PENDING;
        this.activeAt = now;
        this.updatedAt = now;
    }

    /** An alert an outside source pushed (Alertmanager API): its labels are its identity and its subject. */
    public static Alert pushed(Labels labels, Instant now) {
        return new Alert(labels.get("alertname"), labels, labels.map(), now, true);
    }

    public static Alert restore(AlertData data) {
        Alert alert = new Alert(data.alertname(), Labels.of(data.labels()), data.subject(), data.activeAt(), data.pushed());
        alert.state = data.state();
        alert.startsAt = data.startsAt();
        alert.endsAt = data.endsAt();
        alert.lastSeenAt = data.lastSeenAt();
        alert.updatedAt = data.updatedAt();
        alert.annotations.putAll(data.annotations());
        data.links().forEach(link -> alert.links.put(link.title(), link));
        alert.count = data.count();
        alert.occurrences.addAll(data.occurrences());
        alert.series = data.series();
        alert.flips = data.flips();
        alert.flapping = data.flapping();
        alert.resolvingSince = data.resolvingSince();
        return alert;
    }

    /** Folds a firing signal in: details, links and series are the latest; the count grows. */
    public void seen(AlertSignal signal, Instant now) {
        count++;
        lastSeenAt = now;
        updatedAt = now;
        annotations.putAll(signal.annotations());
        signal.links().forEach(link -> links.put(link.title(), link));
        if (!signal.series().isEmpty()) {
            List<Double> values = signal.series();
            series = List.copyOf(values.subList(Math.max(0, values.size() - MAX_SERIES), values.size()));
        }
        occurrences.addLast(new Occurrence(signal.at(), signal.name(), signal.value(), signal.annotations().get(AlertSignal.CAUSE)));
        while (occurrences.size() > MAX_OCCURRENCES) {
            occurrences.removeFirst();
        }
        if (signal.hint(AlertSignal.FLAPPING)) {
            flapping = true;
            flips = Math.max(flips, parseInt(signal.annotations().get(AlertSignal.FLIPS)));
        }
    }

    public void fire(Instant now) {
        fire(now, now);
    }

    /** Firing since {@code startsAt}, which a pushing source may know better than the time it reached GHOST. */
    public void fire(Instant startsAt, Instant now) {
        state = AlertState.FIRING;
        this.startsAt = startsAt;
        updatedAt = now;
    }

    /**
     * A pushing source said again that the alert fires (Prometheus repeats every alert while it fires):
     * the latest annotations and links, no new occurrence.
     */
    public void renew(AlertSignal signal, Instant now) {
        lastSeenAt = now;
        updatedAt = now;
        annotations.putAll(signal.annotations());
        signal.links().forEach(link -> links.put(link.title(), link));
    }

    /** Back after being resolved within the flap window: the same episode, now known to flap. */
    public void refire(Instant now) {
        state = AlertState.FIRING;
        endsAt = null;
        flips++;
        flapping = true;
        updatedAt = now;
    }

    /** A new episode after a long quiet: forget the previous one. */
    public void restart(Instant now) {
        state = AlertState.PENDING;
        activeAt = now;
        startsAt = null;
        endsAt = null;
        count = 0;
        occurrences.clear();
        flips = 0;
        flapping = false;
        resolvingSince = null;
        updatedAt = now;
    }

    public void resolve(Instant at, Instant now) {
        state = AlertState.RESOLVED;
        endsAt = at;
        resolvingSince = null;
        updatedAt = now;
    }

    public void resolving(Instant now) {
        if (resolvingSince == null) {
            resolvingSince = now;
            updatedAt = now;
        }
    }

    /** The source said "down again" while a flapping alert was waiting to settle. */
    public void unsettle(Instant now) {
        if (resolvingSince != null) {
            resolvingSince = null;
            flips++;
            updatedAt = now;
        }
    }

    public void expectEnd(Instant at) {
        endsAt = at;
    }

    public void annotate(String name, String value) {
        annotations.put(name, value);
    }

    public AlertData data() {
        return new AlertData(fingerprint, alertname, labels.map(), subject, state, activeAt, startsAt, endsAt, lastSeenAt,
                updatedAt, annotations, new ArrayList<>(links.values()), count, new ArrayList<>(occurrences), series, flips,
                flapping, resolvingSince, pushed);
    }

    private static int parseInt(String text) {
        try {
            return text == null ? 0 : Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public String fingerprint() {
        return fingerprint;
    }

    public String alertname() {
        return alertname;
    }

    public Labels labels() {
        return labels;
    }

    public AlertState state() {
        return state;
    }

    public Instant activeAt() {
        return activeAt;
    }

    public Instant startsAt() {
        return startsAt;
    }

    public Instant endsAt() {
        return endsAt;
    }

    public int count() {
        return count;
    }

    public boolean flapping() {
        return flapping;
    }

    public Instant resolvingSince() {
        return resolvingSince;
    }

    public boolean pushed() {
        return pushed;
    }

    public Map<String, String> annotations() {
        return annotations;
    }
}
