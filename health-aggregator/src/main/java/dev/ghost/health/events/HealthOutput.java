package dev.ghost.health.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

import dev.ghost.common.event.EventPublisher;
import dev.ghost.common.event.GhostEvent;
import dev.ghost.common.leader.Leadership;
import dev.ghost.health.HealthKeys;
import dev.ghost.health.config.HealthMeters;
import dev.ghost.health.fleet.FleetListener;
import dev.ghost.health.fleet.FleetView;
import dev.ghost.health.fleet.InstanceView;
import dev.ghost.health.fleet.Sample;
import dev.ghost.health.fleet.ServiceView;
import dev.ghost.health.fleet.Transition;
import dev.ghost.health.history.HistoryStore;

/**
 * Where the fleet's news goes. Every member of a pair probes and keeps its own picture (so its API
 * answers and a standby takes over warm), but only the leader tells: each transition becomes one
 * {@code health.*} event if the {@link TransitionLedger} does not say it was told already, and each
 * round's figures go to the history and, batched, out as {@code metric.sample} events. After each
 * round, and when it takes over, the leader also tells whatever its picture shows that the ledger
 * does not (what a previous leader saw but never told, a recovery after a restart), and sends again
 * the events the relay never confirmed. Runs on the fleet's output thread; Redis trouble is logged
 * and never stops polling.
 */
public class HealthOutput implements FleetListener, Leadership.Listener {

    private static final Logger log = LoggerFactory.getLogger(HealthOutput.class);
    /** An event the relay has not confirmed this long after it was told is sent again (same id). */
    private static final Duration RESEND_AFTER = Duration.ofSeconds(30);

    private final EventPublisher events;
    private final HistoryStore history;
    private final CacheManager caches;
    private final HealthMeters meters;
    private final TransitionLedger ledger;
    private final Leadership leadership;
    private final Executor output;
    private final Clock clock;
    private final String source;
    private final int batchSize;
    private volatile FleetView lastView;

    public HealthOutput(EventPublisher events, HistoryStore history, CacheManager caches, HealthMeters meters,
            TransitionLedger ledger, Leadership leadership, Executor output, Clock clock, String source, int batchSize) {
        this.events = events;
        this.history = history;
        this.caches = caches;
        this.meters = meters;
        this.ledger = ledger;
        this.leadership = leadership;
        this.output = output;
        this.clock = clock;
        this.source = source;
        this.batchSize = Math.max(1, batchSize);
    }

    @Override
    public void transitions(List<Transition> transitions, FleetView view) {
        lastView = view;
        evictCaches();
        meters.update(view);
        if (!leadership.isLeader()) {
            return;
        }
        try {
            transitions.forEach(this::tell);
        } catch (RuntimeException e) {
            log.warn("Transitions not told now ({}); the next round tells what is still news", e.getMessage());
        }
    }

    @Override
    public void round(FleetView.Round round, List<Sample> samples, FleetView view) {
        lastView = view;
        meters.update(view);
        meters.round(round);
        if (!leadership.isLeader()) {
            return;
        }
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
        catchUp(view, RESEND_AFTER);
    }

    /** Taking over: tell at once what this member sees and the previous leader did not tell. */
    @Override
    public void granted() {
        output.execute(() -> {
            FleetView view = lastView;
            if (view != null) {
                catchUp(view, Duration.ZERO);
            }
        });
    }

    @Override
    public void revoked() {
        // nothing to hand over: what this member told is in the ledger
    }

    private void catchUp(FleetView view, Duration resendAfter) {
        try {
            Map<String, TransitionLedger.Stored> told = ledger.readAll();
            Instant now = clock.instant();
            boolean toldAny = false;
            for (ServiceView service : view.services()) {
                if (News.known(service)) {
                    toldAny |= tellIfNews(News.seen(service, now), told);
                }
                for (InstanceView instance : service.instances()) {
                    if (News.known(instance)) {
                        toldAny |= tellIfNews(News.seen(instance, now), told);
                    }
                }
            }
            // what was just told replaced older, unconfirmed news of the same subject: never send that again
            (toldAny ? ledger.readAll() : told).forEach((subject, stored) -> {
                TransitionLedger.Entry entry = stored.entry();
                if (!entry.told() && entry.event() != null && !entry.event().time().plus(resendAfter).isAfter(now)) {
                    events.publish(entry.event(), () -> ledger.told(subject, entry.seq()));
                }
            });
        } catch (RuntimeException e) {
            log.warn("Could not compare the fleet with what was told ({}); trying again next round", e.getMessage());
        }
    }

    private boolean tellIfNews(Transition seen, Map<String, TransitionLedger.Stored> told) {
        TransitionLedger.Stored stored = told.get(News.subject(seen));
        TransitionLedger.Entry entry = stored == null ? null : stored.entry();
        if (News.quietStart(seen, entry) || News.judge(seen, entry) == null) {
            return false;
        }
        tell(seen);
        return true;
    }

    /** Tells a transition unless the ledger says it was told; a lost compare-and-set is judged again. */
    private void tell(Transition transition) {
        String subject = News.subject(transition);
        for (int attempt = 0; attempt < 3; attempt++) {
            TransitionLedger.Stored stored = ledger.read(subject);
            TransitionLedger.Entry last = stored == null ? null : stored.entry();
            News.Told news = News.judge(transition, last);
            if (news == null) {
                return;
            }
            long seq = last == null ? 1 : last.seq() + 1;
            Transition told = news.transition();
            GhostEvent event = new GhostEvent("health:" + subject + ":" + seq, told.kind().eventType(), source, told.at(), told.data());
            if (ledger.replace(subject, stored, new TransitionLedger.Entry(news.status(), news.registered(), seq, false, event))) {
                log.info("{} {} {} -> {}{}", told.kind().eventType(), told.subject(), told.from(), told.to(),
                        told.reason() != null ? " (" + told.reason() + ")" : "");
                events.publish(event, () -> ledger.told(subject, seq));
                return;
            }
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
