package dev.ghost.relay.event;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.PatternMatchUtils;
import org.springframework.web.client.RestClient;

import dev.ghost.common.event.EventPublisher;

/**
 * Routes accepted events into the outbox of every subscriber whose patterns match their type (and
 * into the capped audit stream {@code ghost:events}), and runs one {@link SubscriberWorker} per
 * subscriber. An event about a subscriber's own delivery ({@code relay.*} with {@code subscriber}
 * in its data) never goes back to that subscriber.
 */
public class EventHub implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventHub.class);

    /** A validated event: its id, type, the subscriber it is about (relay.* events only), its JSON. */
    public record Accepted(String id, String type, String about, String json) {
    }

    /** Per-subscriber figures for GET /events/stats. */
    public record SubscriberStats(String subscriber, List<String> types, long delivered, long pending, long retrying,
            long deadLettered, long deadLetteredTotal, double lagSeconds, long attempts, String lastError,
            String lastErrorAt, String lastDeliveredAt, String nextAttemptAt, String deliveredBy) {
    }

    private final Map<String, List<String>> subscribers;
    private final Outbox outbox;
    private final Map<String, SubscriberWorker> workers = new LinkedHashMap<>();
    private final Counter accepted;
    private final Counter unrouted;
    private volatile boolean running;

    public EventHub(EventsProperties properties, Outbox outbox, RestClient subscriberClient, String serviceToken,
            String instanceId, EventPublisher ownEvents, MeterRegistry meters) {
        this.subscribers = properties.activeSubscribers();
        this.outbox = outbox;
        this.accepted = Counter.builder("ghost.relay.events.accepted").description("Events accepted by POST /events").register(meters);
        this.unrouted = Counter.builder("ghost.relay.events.unrouted")
                .description("Accepted events no subscriber pattern matched (kept only in ghost:events)").register(meters);
        subscribers.keySet().forEach(name -> workers.put(name, new SubscriberWorker(name, instanceId, outbox, subscriberClient,
                serviceToken, properties.events(), ownEvents, meters)));
    }

    public Map<String, List<String>> subscribers() {
        return subscribers;
    }

    /** Stores the events for every matching subscriber; when this returns, they are durable in Redis. */
    public Map<String, Integer> accept(List<Accepted> events) {
        List<Outbox.Routed> routed = new ArrayList<>();
        List<Outbox.Entry> audit = new ArrayList<>(events.size());
        Map<String, Integer> counts = new LinkedHashMap<>();
        subscribers.keySet().forEach(name -> counts.put(name, 0));
        for (Accepted event : events) {
            audit.add(new Outbox.Entry(null, event.id(), event.type(), event.json()));
            boolean any = false;
            for (Map.Entry<String, List<String>> subscriber : subscribers.entrySet()) {
                if (subscriber.getKey().equals(event.about())
                        || !PatternMatchUtils.simpleMatch(subscriber.getValue().toArray(String[]::new), event.type())) {
                    continue;
                }
                routed.add(new Outbox.Routed(subscriber.getKey(), event.id(), event.type(), event.json()));
                counts.merge(subscriber.getKey(), 1, Integer::sum);
                any = true;
            }
            if (!any) {
                unrouted.increment();
            }
        }
        outbox.append(routed, audit);
        accepted.increment(events.size());
        counts.forEach((name, count) -> {
            if (count > 0) {
                workers.get(name).wake();
            }
        });
        return counts;
    }

    /** Something was put in a subscriber's outbox from outside {@link #accept} (a redelivery). */
    public void wake(String subscriber) {
        SubscriberWorker worker = workers.get(subscriber);
        if (worker != null) {
            worker.wake();
        }
    }

    public List<SubscriberStats> stats() {
        List<SubscriberStats> all = new ArrayList<>();
        Instant now = Instant.now();
        subscribers.forEach((name, types) -> {
            Map<Object, Object> state = outbox.state(name);
            double lag = outbox.oldestPending(name)
                    .map(oldest -> Math.max(0, Duration.between(oldest, now).toMillis()) / 1000.0).orElse(0.0);
            all.add(new SubscriberStats(name, types, number(state, "delivered"), outbox.pending(name),
                    number(state, "retrying"), outbox.deadLetterCount(name), number(state, "deadLetteredTotal"), lag,
                    number(state, "attempts"), text(state, "lastError"), text(state, "lastErrorAt"),
                    text(state, "lastDeliveredAt"), text(state, "nextAttemptAt"), outbox.leaseHolder(name)));
        });
        return all;
    }

    @Override
    public void start() {
        for (String name : subscribers.keySet()) {
            try {
                outbox.ensureGroup(name);
            } catch (RuntimeException e) {
                log.warn("Cannot prepare the outbox of {} yet ({}); its worker retries", name, e.getMessage());
            }
        }
        workers.values().forEach(SubscriberWorker::start);
        running = true;
        log.info("Events hub delivering to {}", subscribers);
    }

    @Override
    public void stop() {
        running = false;
        workers.values().forEach(SubscriberWorker::stop);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private static long number(Map<Object, Object> state, String field) {
        Object value = state.get(field);
        return value == null || value.toString().isEmpty() ? 0 : Long.parseLong(value.toString());
    }

    private static String text(Map<Object, Object> state, String field) {
        Object value = state.get(field);
        return value == null || value.toString().isEmpty() ? null : value.toString();
    }
}
