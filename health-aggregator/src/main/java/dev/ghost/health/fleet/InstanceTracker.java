package dev.ghost.health.fleet;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.ghost.health.probe.Figures;
import dev.ghost.health.probe.HealthProbe;
import dev.ghost.health.probe.MetricsSnapshot;
import dev.ghost.health.probe.Target;

/**
 * What the fleet knows of one instance, and the rules that turn raw probe results into
 * confirmed statuses. Not thread-safe: only the fleet's own thread touches it.
 */
final class InstanceTracker {

    Target target;
    Status status = Status.UNKNOWN;
    Instant since;
    boolean registered = true;
    /** Registry refreshes in a row that did not list it while it still counted as registered. */
    int absences;
    Instant goneAt;
    boolean announced;
    /**
     * Registered again after leaving: its last status is from before the restart, so it does not
     * count for its service until its status is UP again (the re-probes confirmed it), or it has
     * stayed down for the settle time (a restart is not a new outage, and a service that is starting
     * answers DOWN for a moment). An UP answer alone is not enough: until it is confirmed, the status
     * that would count is the stale DOWN.
     */
    boolean awaitingProbe;
    Instant registeredAgainAt;

    HealthProbe lastProbe;
    Instant lastProbeAt;
    /** Health components that were not UP when it last failed; kept while it is DOWN, to tell what took it down. */
    Set<String> failingComponents = Set.of();
    private Boolean lastRawUp;
    private final Deque<Instant> flips = new ArrayDeque<>();
    private Instant lastFlipAt;
    private int flapFlips;
    private Instant downSince;

    /** The status being confirmed, and how many probes agreed with it since the first disagreeing one. */
    Status suspect;
    int agreeing;
    int confirmGeneration;
    String suspectVia;

    boolean roundInFlight;
    boolean probeInFlight;
    boolean watched;
    boolean metricsMissing;
    MetricsSnapshot snapshot;
    Figures figures;

    InstanceTracker(Target target) {
        this.target = target;
    }

    /**
     * Applies one health result and answers the transition it completes, if any.
     *
     * @param confirmations how many probes after the first disagreeing one must agree
     * @return the new status, or null when the confirmed status stays
     */
    Status observe(HealthProbe probe, Instant now, String via, Rules rules) {
        Status next = judge(probe, now, via, rules);
        if ((next != null ? next : status) == Status.UP || registeredAgainAt == null
                || !registeredAgainAt.plus(rules.settleAfter()).isAfter(now)) {
            awaitingProbe = false;
        }
        return next;
    }

    private Status judge(HealthProbe probe, Instant now, String via, Rules rules) {
        boolean up = probe.up();
        if (lastRawUp != null && lastRawUp != up) {
            flip(now);
        }
        lastRawUp = up;
        if (!up && !probe.components().isEmpty()) {
            failingComponents = probe.components().entrySet().stream().filter(c -> !"UP".equals(c.getValue()))
                    .map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());
        }
        lastProbe = probe;
        lastProbeAt = now;
        Status seen = up ? Status.UP : Status.DOWN;
        if (status == Status.FLAPPING) {
            return settled(now, rules) ? seen : null;
        }
        Status flapping = checkFlapping(now, rules);
        if (flapping != null) {
            return flapping;
        }
        if (seen == status) {
            clearSuspicion();
            return null;
        }
        if (status == Status.UNKNOWN && up) {
            return Status.UP; // first sight of a healthy instance: nothing to be quiet about
        }
        if (suspect == seen) {
            agreeing++;
        } else {
            suspect = seen;
            agreeing = 0;
            confirmGeneration++;
            suspectVia = via;
        }
        if (agreeing >= rules.confirmations()) {
            clearSuspicion();
            return seen;
        }
        return null;
    }

    /** A restart between two polls (uptime went back) is two flips nobody saw. */
    Status restarted(Instant now, Rules rules) {
        flip(now);
        flip(now);
        return status == Status.FLAPPING ? null : checkFlapping(now, rules);
    }

    private Status checkFlapping(Instant now, Rules rules) {
        prune(now, rules);
        if (flips.size() >= rules.flapThreshold()) {
            clearSuspicion();
            flapFlips = flips.size();
            return Status.FLAPPING;
        }
        return null;
    }

    private boolean settled(Instant now, Rules rules) {
        return lastFlipAt == null || !lastFlipAt.plus(rules.settleAfter()).isAfter(now);
    }

    private void flip(Instant now) {
        flips.addLast(now);
        lastFlipAt = now;
        if (status == Status.FLAPPING) {
            flapFlips++;
        }
    }

    private void prune(Instant now, Rules rules) {
        Instant horizon = now.minus(rules.flapWindow());
        while (!flips.isEmpty() && flips.peekFirst().isBefore(horizon)) {
            flips.removeFirst();
        }
    }

    void clearSuspicion() {
        if (suspect != null) {
            suspect = null;
            agreeing = 0;
            confirmGeneration++;
            suspectVia = null;
        }
    }

    /** Moves to {@code next}; answers how long it was down when it comes back up (null otherwise). */
    Long moveTo(Status next, Instant now) {
        Long downMillis = null;
        if (next == Status.DOWN || next == Status.FLAPPING) {
            if (downSince == null) {
                downSince = now;
            }
        } else if (next == Status.UP && downSince != null) {
            downMillis = now.toEpochMilli() - downSince.toEpochMilli();
            downSince = null;
        }
        if (next == Status.UP) {
            failingComponents = Set.of();
        }
        if (status == Status.FLAPPING) {
            flips.clear(); // settled: a new episode starts from zero
        }
        status = next;
        since = now;
        return downMillis;
    }

    int flipCount(Instant now, Rules rules) {
        prune(now, rules);
        return status == Status.FLAPPING ? flapFlips : flips.size();
    }

    InstanceView view(Instant now, Rules rules) {
        return new InstanceView(target.id(), target.service(), target.host(), target.port(), status, since, registered,
                target.registryStatus(), lastProbe == null || lastProbe.up() ? null : lastProbe.reason(),
                lastProbe == null ? null : lastProbe.latencyMs(), lastProbeAt, flipCount(now, rules), figures,
                lastProbe == null || lastProbe.components().isEmpty() ? null : lastProbe.components());
    }

    /** The thresholds {@link #observe} judges by. */
    record Rules(int confirmations, int flapThreshold, java.time.Duration flapWindow, java.time.Duration settleAfter) {
    }
}
