package dev.ghost.alerting.outbox;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.SmartLifecycle;

import dev.ghost.alerting.config.AlertingProperties;
import dev.ghost.alerting.notify.Receiver;

/**
 * One {@link OutboxWorker} per receiver that can deliver (has a channel configured). Started before the web server takes
 * requests and stopped after it finished them (lower phase), so nothing queued during shutdown
 * waits for a worker that is gone.
 */
public class OutboxWorkers implements SmartLifecycle {

    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final Map<String, OutboxWorker> workers = new LinkedHashMap<>();
    private final Duration grace;
    private volatile boolean running;
    private boolean autoStartup = true;

    /** @param longestCall the longest a channel call may take: stopping waits that long for the one in flight */
    public OutboxWorkers(Collection<Receiver> receivers, NotificationOutbox outbox, AlertingProperties.Delivery settings,
            Duration longestCall, Clock clock, MeterRegistry meters) {
        receivers.stream().filter(Receiver::delivers).forEach(receiver -> {
            workers.put(receiver.name(), new OutboxWorker(receiver, outbox, settings, clock, meters));
            Gauge.builder("ghost.alerting.outbox.backlog", () -> backlog(outbox, receiver.name()))
                    .tag("receiver", receiver.name()).description("Notifications waiting in the outbox for their channel")
                    .register(meters);
        });
        this.grace = longestCall.plusSeconds(1);
    }

    private static double backlog(NotificationOutbox outbox, String receiver) {
        try {
            return outbox.backlog(receiver);
        } catch (RuntimeException e) {
            return Double.NaN; // Redis unreachable: unknown, not zero
        }
    }

    public void wake(String receiver) {
        OutboxWorker worker = workers.get(receiver);
        if (worker != null) {
            worker.wake();
        }
    }

    public boolean delivers(String receiver) {
        return workers.containsKey(receiver);
    }

    /** Off when a leader election starts and stops the workers (only the leader of a pair sends). */
    public void setAutoStartup(boolean autoStartup) {
        this.autoStartup = autoStartup;
    }

    @Override
    public boolean isAutoStartup() {
        return autoStartup;
    }

    @Override
    public synchronized void start() {
        if (!running) {
            workers.values().forEach(OutboxWorker::start);
            running = true;
        }
    }

    @Override
    public synchronized void stop() {
        if (running) {
            workers.values().forEach(OutboxWorker::stopping);
            workers.values().forEach(worker -> worker.stop(grace));
            running = false;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
