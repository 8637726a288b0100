package dev.ghost.relay.event;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.resilience4j.core.IntervalFunction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

import dev.ghost.common.event.EventPublisher;
import dev.ghost.common.event.GhostEvent;
import dev.ghost.common.retry.Backoff;

/**
 * Delivers one subscriber's outbox, in order, on its own thread. Only the relay instance holding the
 * subscriber's delivery lease sends (so order holds with several relays); on taking the lease it
 * claims every entry a previous holder read and never acknowledged (XAUTOCLAIM), then re-reads its
 * own pending entries before new ones. A batch is acknowledged only after a 2xx.
 * <p>
 * Two kinds of failure: the subscriber is <em>unavailable</em> (no instance, connection refused,
 * 503, 429): the batch waits with exponential backoff for as long as it takes, since the outbox is
 * there to ride out outages; or it <em>refuses</em> (any other status, or a timeout): the head event
 * is then retried alone, and after {@code max-attempts} refusals it is parked as a dead letter, so
 * one poison event cannot hold back the rest.
 */
class SubscriberWorker implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(SubscriberWorker.class);

    private final String subscriber;
    private final String consumer;
    private final Outbox outbox;
    private final RestClient subscribers;
    private final String serviceToken;
    private final EventsProperties.Delivery settings;
    private final IntervalFunction backoff;
    private final EventPublisher ownEvents;
    private final Counter delivered;
    private final Counter buried;
    private final Object signal = new Object();
    private volatile boolean running = true;
    private volatile Thread thread;

    private boolean leased;
    /** Whether this consumer may hold entries read but not acknowledged (after a take-over or a failure). */
    private boolean mayHavePending = true;
    private long leaseRenewedAt;
    private int failures;
    private int refusals;
    private String refusedEntry;
    private long nextAttemptAt;

    SubscriberWorker(String subscriber, String consumer, Outbox outbox, RestClient subscribers, String serviceToken,
            EventsProperties.Delivery settings, EventPublisher ownEvents, MeterRegistry meters) {
        this.subscriber = subscriber;
        this.consumer = consumer;
        this.outbox = outbox;
        this.subscribers = subscribers;
        this.serviceToken = serviceToken;
        this.settings = settings;
        this.backoff = Backoff.exponential(settings.firstBackoff(), settings.maxBackoff());
        this.ownEvents = ownEvents;
        this.delivered = Counter.builder("ghost.relay.events.delivered").tag("subscriber", subscriber)
                .description("Events delivered to a subscriber (2xx)").register(meters);
        this.buried = Counter.builder("ghost.relay.events.dead.lettered").tag("subscriber", subscriber)
                .description("Events parked as dead letters after the subscriber kept refusing them").register(meters);
    }

    void start() {
        Thread started = new Thread(this, "ghost-relay-deliver-" + subscriber);
        started.setDaemon(true);
        thread = started;
        started.start();
    }

    /** New events for this subscriber: stop waiting (unless backing off). */
    void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    void stop() {
        running = false;
        wake();
        Thread current = thread;
        if (current != null) {
            try {
                current.join(settings.timeout().toMillis() + 2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (leased) {
            try {
                outbox.releaseLease(subscriber, consumer);
            } catch (RuntimeException e) {
                log.debug("could not release the delivery lease of {}: {}", subscriber, e.getMessage());
            }
        }
    }

    @Override
    public void run() {
        while (running) {
            try {
                if (!holdLease()) {
                    pause(settings.lease().toMillis() / 3);
                    continue;
                }
                long wait = nextAttemptAt - System.currentTimeMillis();
                if (wait > 0) {
                    pause(Math.min(wait, settings.lease().toMillis() / 3));
                    continue;
                }
                int size = refusals > 0 ? 1 : settings.batchSize();
                List<Outbox.Entry> batch = mayHavePending ? outbox.readPending(subscriber, consumer, size) : List.of();
                if (batch.isEmpty()) {
                    mayHavePending = false;
                    batch = outbox.readNew(subscriber, consumer, size);
                }
                if (batch.isEmpty()) {
                    idle();
                    pause(settings.pollInterval().toMillis());
                    continue;
                }
                deliver(batch);
            } catch (RuntimeException e) {
                if (String.valueOf(e.getMessage()).contains("NOGROUP")) {
                    outbox.ensureGroup(subscriber); // the outbox was deleted from outside; start it again
                    continue;
                }
                // e.g. no instance of the subscriber is registered: wait as for any failure, and say so once
                failures++;
                mayHavePending = true;
                nextAttemptAt = System.currentTimeMillis() + backoff.apply(failures);
                if (failures == 1) {
                    log.warn("Delivery to {} interrupted ({}); retrying with backoff, up to {} apart", subscriber, e.getMessage(),
                            settings.maxBackoff());
                } else {
                    log.debug("Delivery to {} still interrupted: {}", subscriber, e.getMessage());
                }
            }
        }
    }

    private boolean holdLease() {
        long now = System.currentTimeMillis();
        if (leased && now - leaseRenewedAt < settings.lease().toMillis() / 3) {
            return true;
        }
        if (leased && outbox.renewLease(subscriber, consumer)) {
            leaseRenewedAt = now;
            return true;
        }
        leased = outbox.acquireLease(subscriber, consumer);
        if (leased) {
            leaseRenewedAt = now;
            mayHavePending = true;
            long claimed = outbox.takeOver(subscriber, consumer);
            log.info("Delivering to {} from this relay ({} unacknowledged entries taken over)", subscriber, claimed);
        }
        return leased;
    }

    private void deliver(List<Outbox.Entry> batch) {
        StringBuilder body = new StringBuilder(batch.size() * 256).append('[');
        for (int i = 0; i < batch.size(); i++) {
            body.append(i == 0 ? "" : ",").append(batch.get(i).json());
        }
        body.append(']');
        String failure;
        boolean unavailable;
        try {
            HttpStatusCode status = subscribers.post().uri("http://" + subscriber + "/events")
                    .contentType(MediaType.APPLICATION_JSON)
                    .header("Authorization", "Bearer " + serviceToken)
                    .body(body.toString())
                    .exchange((request, response) -> response.getStatusCode());
            if (status.is2xxSuccessful()) {
                delivered(batch);
                return;
            }
            failure = "HTTP " + status.value();
            unavailable = status.value() == 503 || status.value() == 429 || status.value() == 502;
        } catch (ResourceAccessException e) {
            failure = e.getMessage();
            unavailable = !(e.getMostSpecificCause() instanceof java.net.SocketTimeoutException);
        } catch (IllegalStateException e) {
            failure = e.getMessage(); // the load balancer found no instance
            unavailable = true;
        }
        failed(batch, failure, unavailable);
    }

    private void delivered(List<Outbox.Entry> batch) {
        outbox.acknowledge(subscriber, batch);
        delivered.increment(batch.size());
        failures = 0;
        refusals = 0;
        refusedEntry = null;
        nextAttemptAt = 0;
    }

    private void failed(List<Outbox.Entry> batch, String failure, boolean unavailable) {
        failures++;
        mayHavePending = true;
        Outbox.Entry head = batch.get(0);
        long buriedNow = 0;
        if (!unavailable) {
            refusals = head.entryId().equals(refusedEntry) ? refusals + 1 : 1;
            refusedEntry = head.entryId();
            if (batch.size() == 1 && refusals >= settings.maxAttempts()) {
                String deadLetterId = outbox.bury(subscriber, head, refusals, failure);
                buried.increment();
                buriedNow = 1;
                log.warn("Event {} ({}) parked as dead letter {} of {} after {} refusals ({})", head.eventId(), head.type(),
                        deadLetterId, subscriber, refusals, failure);
                announce(head, deadLetterId, failure);
                refusals = 0;
                refusedEntry = null;
                failures = 0;
            }
        }
        nextAttemptAt = buriedNow > 0 ? 0 : System.currentTimeMillis() + backoff.apply(failures);
        Map<String, String> state = new LinkedHashMap<>();
        state.put("retrying", buriedNow > 0 ? "0" : String.valueOf(batch.size()));
        state.put("attempts", String.valueOf(failures));
        state.put("lastError", failure);
        state.put("lastErrorAt", Instant.now().toString());
        state.put("nextAttemptAt", buriedNow > 0 ? "" : Instant.ofEpochMilli(nextAttemptAt).toString());
        outbox.recordState(subscriber, state, buriedNow);
        log.debug("Delivery of {} events to {} failed ({}, {}); next attempt in {} ms", batch.size(), subscriber, failure,
                unavailable ? "unavailable" : "refused", nextAttemptAt - System.currentTimeMillis());
    }

    /** Tells on-call (through the hub, never back to the subscriber concerned) that an event was parked. */
    private void announce(Outbox.Entry head, String deadLetterId, String failure) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("subscriber", subscriber);
        data.put("eventId", head.eventId());
        data.put("eventType", head.type());
        data.put("deadLetterId", deadLetterId);
        data.put("error", failure);
        ownEvents.publish(GhostEvent.of("relay.dead_letter", consumer, data));
    }

    private void idle() {
        if (failures > 0) {
            failures = 0;
            outbox.recordState(subscriber, Map.of("retrying", "0", "attempts", "0", "nextAttemptAt", ""), 0);
        }
    }


    private void pause(long millis) {
        if (millis <= 0 || !running) {
            return;
        }
        synchronized (signal) {
            try {
                signal.wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }
}
