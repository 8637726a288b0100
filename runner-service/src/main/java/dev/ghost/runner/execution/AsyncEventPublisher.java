package dev.ghost.runner.execution;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.ghost.common.event.EventPublisher;
import dev.ghost.common.event.GhostEvent;

/**
 * Hands events to the real publisher on one background thread (so their order is kept), keeping
 * a network round trip per event off the submission and execution paths. Bounded: when the
 * publisher cannot keep up, events are dropped and counted ({@code ghost_runner_events_dropped_total}),
 * never allowed to stall a patch.
 */
public class AsyncEventPublisher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AsyncEventPublisher.class);

    private final EventPublisher delegate;
    private final ThreadPoolExecutor thread;
    private final Counter dropped;

    public AsyncEventPublisher(EventPublisher delegate, int capacity, MeterRegistry meters) {
        this.delegate = delegate;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity), runnable -> {
            Thread worker = new Thread(runnable, "ghost-events");
            worker.setDaemon(true);
            return worker;
        });
        this.dropped = Counter.builder("ghost.runner.events.dropped")
                .description("Audit events dropped because the publisher fell behind").register(meters);
    }

    public void publish(GhostEvent event) {
        try {
            thread.execute(() -> {
                try {
                    delegate.publish(event);
                } catch (RuntimeException e) {
                    log.warn("event {} ({}) not published: {}", event.id(), event.type(), e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            dropped.increment();
        }
    }

    /** Publishes what is still queued (for a few seconds at most), then stops. */
    @Override
    public void close() throws InterruptedException {
        thread.shutdown();
        thread.awaitTermination(5, TimeUnit.SECONDS);
    }
}
