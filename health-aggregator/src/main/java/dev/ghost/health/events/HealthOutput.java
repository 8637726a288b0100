package dev.ghost.health.events;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

import dev.ghost.common.event.EventPublisher;
import dev.ghost.common.event.GhostEvent;
import dev.ghost.health.HealthKeys;
import dev.ghost.health.config.HealthMeters;
import dev.ghost.health.fleet.FleetListener;
import dev.ghost.health.fleet.FleetView;
import dev.ghost.health.fleet.Sample;
import dev.ghost.health.fleet.Transition;
import dev.ghost.health.history.HistoryStore;

/**
 * Where the fleet's news goes: each transition becomes one {@code health.*} event and empties
 * the API caches; each round's figures go to the history and, batched, out as
 * {@code metric.sample} events for the ML monitor. Runs on the fleet's output thread; Redis
 * trouble is logged and never stops polling.
 */
public class HealthOutput implements FleetListener {

    private static final Logger log = LoggerFactory.getLogger(HealthOutput.class);

    private final EventPublisher events;
    private final HistoryStore history;
    private final CacheManager caches;
    private final HealthMeters meters;
    private final String source;
    private final int batchSize;

    public HealthOutput(EventPublisher events, HistoryStore history, CacheManager caches, HealthMeters meters,
            String source, int batchSize) {
        this.events = events;
        this.history = history;
        this.caches = caches;
        this.meters = meters;
        this.source = source;
        this.batchSize = Math.max(1, batchSize);
    }

    @Override
    public void transitions(List<Transition> transitions, FleetView view) {
        evictCaches();
        meters.update(view);
        for (Transition transition : transitions) {
            events.publish(GhostEvent.of(transition.kind().eventType(), source, transition.data()));
        }
    }

    @Override
    public void round(FleetView.Round round, List<Sample> samples, FleetView view) {
        meters.update(view);
        meters.round(round);
        try {
            history.write(samples);
        } catch (RuntimeException e) {
            log.warn("Round {}: history not written: {}", round.number(), e.getMessage());
        }
        for (int from = 0; from < samples.size(); from += batchSize) {
            List<Sample> batch = samples.subList(from, Math.min(samples.size(), from + batchSize));
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("round", round.number());
            data.put("intervalMs", view.intervalMs());
            data.put("samples", batch.stream().map(HealthOutput::sample).toList());
            events.publish(GhostEvent.of("metric.sample", source, data));
        }
    }

    private static Map<String, Object> sample(Sample sample) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("service", sample.service());
        data.put("instance", sample.instance());
        data.put("at", sample.at());
        data.put("up", sample.up());
        data.put("status", sample.status().name());
        data.put("latencyMs", sample.latencyMs());
        HistoryStore.Point point = HistoryStore.Point.of(sample);
        if (point.f() != null) {
            data.put("figures", point.f());
        }
        return data;
    }

    private void evictCaches() {
        List<String> failed = new ArrayList<>();
        for (String name : List.of(HealthKeys.CACHE_SUMMARY, HealthKeys.CACHE_SERVICE, HealthKeys.CACHE_HISTORY)) {
            Cache cache = caches.getCache(name);
            try {
                if (cache != null) {
                    cache.clear();
                }
            } catch (RuntimeException e) {
                failed.add(name);
            }
        }
        if (!failed.isEmpty()) {
            // Entries are keyed by the transition generation too, so the API never serves them again anyway.
            log.warn("Caches {} not cleared (Redis unreachable?)", failed);
        }
    }
}
