package dev.ghost.ml.anomaly;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.ghost.ml.MlProperties;
import dev.ghost.ml.signal.Severity;
import dev.ghost.ml.signal.Signal;
import dev.ghost.ml.signal.SignalKind;
import dev.ghost.ml.signal.SignalPublisher;

/**
 * Bursts: per source, the error events and anomalies in a sliding window (default 5 minutes)
 * against an adaptive threshold - the larger of a floor and the usual window count plus four of
 * its standard deviations (learned from the source's own past windows, at each minute). One
 * signal when a burst starts; another only after the window has been quiet again.
 */
@Component
public class BurstDetector {

    private final SignalPublisher signals;
    private final long windowMs;
    private final int floor;
    private final int maxSources;
    private final Map<String, Source> sources = new LinkedHashMap<>(64, 0.75f, true);

    public BurstDetector(SignalPublisher signals, MlProperties ml) {
        this.signals = signals;
        this.windowMs = ml.burst().window().toMillis();
        this.floor = ml.burst().minCount();
        this.maxSources = ml.maxSources();
    }

    private static final class Source {
        final Deque<Long> events = new ArrayDeque<>();
        long lastMinute = Long.MIN_VALUE;
        double mean;
        double variance;
        long minutes;
        boolean bursting;
    }

    /** One error event (or anomaly) of {@code source} at {@code time}; {@code what} says which, for the summary. */
    public synchronized void record(String source, Instant time, String what) {
        Source state = sources.computeIfAbsent(source, s -> new Source());
        if (sources.size() > maxSources) {
            sources.remove(sources.keySet().iterator().next());
        }
        long now = time.toEpochMilli();
        learnQuietMinutes(state, now);
        state.events.addLast(now);
        while (!state.events.isEmpty() && state.events.peekFirst() <= now - windowMs) {
            state.events.removeFirst();
        }
        int count = state.events.size();
        double threshold = threshold(state);
        if (!state.bursting && count >= threshold) {
            state.bursting = true;
            signals.publish(Signal.of(SignalKind.BURST, count >= 3 * threshold ? Severity.CRITICAL : Severity.WARNING,
                    Math.min(1.0, count / (2.0 * threshold)),
                    String.format("%d %s from %s within %d min (usually %.1f)", count, what, source, windowMs / 60_000, state.mean),
                    Map.of("source", source), List.of("/anomalies?source=" + source, "/templates?source=" + source), time,
                    Map.of("count", count, "threshold", threshold, "windowMinutes", windowMs / 60_000)));
        } else if (state.bursting && count < threshold / 2) {
            state.bursting = false;
        }
    }

    double threshold(Source state) {
        return Math.max(floor, state.mean + 4 * Math.sqrt(state.variance) + 1);
    }

    /** At each new minute, the window count of the minute that passed teaches the usual level. */
    private static void learnQuietMinutes(Source state, long now) {
        long minute = now / 60_000;
        if (state.lastMinute == Long.MIN_VALUE) {
            state.lastMinute = minute;
            return;
        }
        for (long m = state.lastMinute; m < minute && m < state.lastMinute + 60; m++) {
            double count = state.bursting ? state.mean : state.events.size();
            double a = Math.max(0.02, 1.0 / (state.minutes + 1));
            double delta = count - state.mean;
            state.mean += a * delta;
            state.variance = (1 - a) * (state.variance + a * delta * delta);
            state.minutes++;
        }
        state.lastMinute = minute;
    }
}
