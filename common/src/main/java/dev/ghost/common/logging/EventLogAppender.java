package dev.ghost.common.logging;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.UnsynchronizedAppenderBase;

import dev.ghost.common.event.EventPublisher;
import dev.ghost.common.event.GhostEvent;

/**
 * Ships a service's own WARN and ERROR lines as {@code log.warn} / {@code log.error} events
 * through the {@link EventPublisher}, for the ML monitor. Never blocks the logging thread: events
 * go into a bounded queue that a background thread drains in batches; when the queue is full
 * the line is dropped and counted ({@link #dropped()}). Lines logged while publishing (by the
 * shipper's own thread, or by the event and logging packages) are never shipped, so a failing
 * publisher cannot feed on its own complaints.
 */
public class EventLogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    static final int BATCH = 100;
    static final int MAX_MESSAGE = 8_192;

    private final Supplier<EventPublisher> publisher;
    private final String service;
    private final String instance;
    private final BlockingQueue<GhostEvent> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong shipped = new AtomicLong();
    private volatile Thread worker;

    public EventLogAppender(Supplier<EventPublisher> publisher, String service, String instance, int capacity) {
        this.publisher = publisher;
        this.service = service;
        this.instance = instance;
        this.queue = new ArrayBlockingQueue<>(capacity);
        setName("ghost-event-log");
    }

    public long dropped() {
        return dropped.get();
    }

    public long shipped() {
        return shipped.get();
    }

    public int queued() {
        return queue.size();
    }

    @Override
    public void start() {
        Thread thread = new Thread(this::drain, "ghost-log-shipper");
        thread.setDaemon(true);
        worker = thread;
        super.start();
        thread.start();
    }

    @Override
    public void stop() {
        super.stop();
        Thread thread = worker;
        worker = null;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (!event.getLevel().isGreaterOrEqual(Level.WARN) || Thread.currentThread() == worker || isOwn(event.getLoggerName())) {
            return;
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("message", truncate(event.getFormattedMessage()));
        data.put("level", event.getLevel().toString());
        data.put("logger", event.getLoggerName());
        data.put("thread", event.getThreadName());
        data.put("service", service);
        data.put("instance", instance);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            data.put("exception", thrown.getClassName() + (thrown.getMessage() == null ? "" : ": " + thrown.getMessage()));
            data.put("stackTrace", truncate(ThrowableProxyUtil.asString(thrown)));
        }
        String type = "log." + event.getLevel().toString().toLowerCase(Locale.ROOT);
        if (!queue.offer(new GhostEvent(java.util.UUID.randomUUID().toString(), type, instance,
                java.time.Instant.ofEpochMilli(event.getTimeStamp()), data))) {
            dropped.incrementAndGet();
        }
    }

    private static boolean isOwn(String logger) {
        return logger.startsWith("dev.ghost.common.logging") || logger.startsWith("dev.ghost.common.event");
    }

    private static String truncate(String text) {
        return text == null || text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "...";
    }

    private void drain() {
        List<GhostEvent> batch = new ArrayList<>(BATCH);
        while (worker == Thread.currentThread() || !queue.isEmpty()) {
            try {
                GhostEvent first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    if (worker != Thread.currentThread()) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                publish(batch);
                batch.clear();
            } catch (InterruptedException e) {
                // stopping: ship what is already queued, then leave
                queue.drainTo(batch);
                publish(batch);
                return;
            }
        }
    }

    private void publish(List<GhostEvent> batch) {
        for (GhostEvent event : batch) {
            try {
                publisher.get().publish(event);
                shipped.incrementAndGet();
            } catch (RuntimeException e) {
                dropped.incrementAndGet();
            }
        }
    }
}
