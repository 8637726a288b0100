package dev.ghost.common.event;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.core.IntervalFunction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.common.retry.Backoff;

/**
 * Sends events to the relay's hub ({@code POST /events} on {@code relay-service}, found through the
 * load balancer, with the service token). {@link #publish} only puts the event in a bounded local
 * buffer, so it never blocks or fails the caller; one background thread sends whatever has piled
 * up as one JSON array, in order, and retries a failed batch with GHOST's {@link Backoff}
 * until the relay takes it, so a relay restart loses nothing. Events are dropped (and counted on
 * {@code ghost.events.dropped}) only when the buffer is full. On shutdown the buffer is flushed for
 * at most the configured grace period.
 */
public class RelayEventPublisher implements EventPublisher, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RelayEventPublisher.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final RestClient relay;
    private final String serviceToken;
    private final JsonMapper json;
    private final GhostEventsProperties properties;
    private final BlockingQueue<Outgoing> buffer;
    private final IntervalFunction backoff;
    private final Counter sent;
    private final Counter dropped;
    private final Counter rejected;
    private final Counter failedAttempts;
    private volatile boolean running;
    private volatile long stopDeadline = Long.MAX_VALUE;
    private volatile long lastDropLog;
    private Thread sender;

    public RelayEventPublisher(RestClient relay, String serviceToken, JsonMapper json, GhostEventsProperties properties,
            MeterRegistry meters) {
        this.relay = relay;
        this.serviceToken = serviceToken;
        this.json = json;
        this.properties = properties;
        this.buffer = new ArrayBlockingQueue<>(properties.bufferCapacity());
        this.backoff = Backoff.exponential(FIRST_BACKOFF, properties.maxBackoff());
        this.sent = Counter.builder("ghost.events.sent").description("Events the relay accepted from this service").register(meters);
        this.dropped = Counter.builder("ghost.events.dropped")
                .description("Events dropped because the local buffer was full (the relay was unreachable too long)").register(meters);
        this.rejected = Counter.builder("ghost.events.rejected")
                .description("Events the relay refused as invalid (400); not retried").register(meters);
        this.failedAttempts = Counter.builder("ghost.events.send.failures")
                .description("Batches that could not be delivered to the relay on an attempt (retried)").register(meters);
        Gauge.builder("ghost.events.buffered", buffer, BlockingQueue::size)
                .description("Events waiting in the local buffer for the relay").register(meters);
    }

    /** An event and what to run once the relay took it. */
    private record Outgoing(GhostEvent event, Runnable accepted) {
    }

    private static final Runnable NOTHING = () -> {
    };

    @Override
    public void publish(GhostEvent event) {
        publish(event, NOTHING);
    }

    @Override
    public void publish(GhostEvent event, Runnable accepted) {
        if (!buffer.offer(new Outgoing(event, accepted))) {
            dropped.increment();
            long now = System.nanoTime();
            if (now - lastDropLog > DROP_LOG_INTERVAL_NANOS) {
                lastDropLog = now;
                log.warn("Event buffer full ({} events): dropping events until the relay takes them again (see ghost.events.dropped)",
                        properties.bufferCapacity());
            }
        }
    }

    /** Events waiting to be sent. */
    public int buffered() {
        return buffer.size();
    }

    @Override
    public void start() {
        running = true;
        sender = new Thread(this::sendLoop, "ghost-event-sender");
        sender.setDaemon(true);
        sender.start();
    }

    @Override
    public void stop() {
        stopDeadline = System.nanoTime() + properties.shutdownGrace().toNanos();
        running = false;
        try {
            sender.join(properties.shutdownGrace().toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!buffer.isEmpty()) {
            log.warn("{} events could not be handed to the relay before shutdown and are lost", buffer.size());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the beans that emit events on their way down, and before discovery is closed. */
    @Override
    public int getPhase() {
        return -100;
    }

    private void sendLoop() {
        List<Outgoing> batch = new ArrayList<>(properties.batchSize());
        while (running || (!buffer.isEmpty() && System.nanoTime() < stopDeadline)) {
            try {
                Outgoing first = buffer.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                buffer.drainTo(batch, properties.batchSize() - 1);
                sendUntilTaken(batch);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void accepted(List<Outgoing> batch) {
        for (Outgoing outgoing : batch) {
            try {
                outgoing.accepted().run();
            } catch (RuntimeException e) {
                log.warn("Could not note that event {} was sent: {}", outgoing.event().id(), e.getMessage());
            }
        }
    }

    private void sendUntilTaken(List<Outgoing> batch) throws InterruptedException {
        byte[] body = json.writeValueAsBytes(batch.stream().map(Outgoing::event).toList());
        for (int attempt = 1; ; attempt++) {
            try {
                HttpStatusCode status = relay.post().uri("/events")
                        .contentType(MediaType.APPLICATION_JSON)
                        .header("Authorization", "Bearer " + serviceToken)
                        .body(body)
                        .exchange((request, response) -> response.getStatusCode());
                if (status.is2xxSuccessful()) {
                    sent.increment(batch.size());
                    accepted(batch);
                    return;
                }
                if (status.value() == 400 || status.value() == 413) {
                    rejected.increment(batch.size());
                    log.warn("The relay refused a batch of {} events as invalid ({}); they are dropped", batch.size(), status.value());
                    accepted(batch);
                    return;
                }
                log.debug("The relay answered {} to a batch of {} events; retrying", status.value(), batch.size());
            } catch (RuntimeException e) {
                log.debug("Cannot reach the relay ({}); retrying a batch of {} events", e.getMessage(), batch.size());
            }
            failedAttempts.increment();
            if (!running && System.nanoTime() >= stopDeadline) {
                return;
            }
            Thread.sleep(backoff.apply(attempt));
        }
    }
}
