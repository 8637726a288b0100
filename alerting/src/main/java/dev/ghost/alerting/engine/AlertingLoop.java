package dev.ghost.alerting.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import dev.ghost.alerting.AlertSignal;
import dev.ghost.alerting.model.AlertData;
import dev.ghost.alerting.notify.Notification;
import dev.ghost.alerting.outbox.NotificationOutbox;
import dev.ghost.alerting.outbox.OutboxWorkers;
import dev.ghost.alerting.routing.Dispatcher;
import dev.ghost.alerting.routing.GroupState;
import dev.ghost.alerting.silences.SilenceStore;

/**
 * The one thread that owns the alerts: applies signals, advances timers, dispatches groups, and
 * writes what changed to Redis — notifications into the outbox first, then alerts, groups and
 * history — before it tells a caller its signals are safe. While Redis is unreachable the
 * writes wait (in order) and are retried; decisions replayed after a restart carry the same
 * notification ids, so the outbox takes each only once.
 */
public class AlertingLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AlertingLoop.class);
    private static final int REMEMBERED_EVENTS = 10_000;
    private static final Duration RETRY_WRITES = Duration.ofMillis(500);
    private static final Duration IDLE = Duration.ofSeconds(1);

    /** An alert as GET /alerts shows it: with why it is not notified, if it is not. */
    public record View(AlertData alert, Dispatcher.MuteInfo muted) {
    }

    /** The state after the loop's last pass. */
    public record Snapshot(List<View> alerts, Instant at, boolean restored) {
    }

    private final AlertEngine engine;
    private final Dispatcher dispatcher;
    private final AlertRepository repository;
    private final SilenceStore silences;
    private final NotificationOutbox outbox;
    private final OutboxWorkers workers;
    private final Clock clock;
    private final Duration tick;

    private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    private final Map<String, Boolean> recentEvents = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_EVENTS;
        }
    };

    // Writes not yet in Redis, in the order they must land.
    private final Changes changes = new Changes();
    private final Deque<Notification> unsent = new ArrayDeque<>();
    private final Map<String, GroupState> groupWrites = new LinkedHashMap<>();
    private final Set<String> groupRemovals = new LinkedHashSet<>();
    private final List<CompletableFuture<Void>> waiting = new ArrayList<>();
    private final Set<String> silentReceivers = new LinkedHashSet<>();

    private volatile Snapshot snapshot = new Snapshot(List.of(), Instant.EPOCH, false);
    private volatile boolean running;
    private boolean autoStartup = true;
    private Thread thread;
    private boolean restored;
    private boolean writesFailing;

    public AlertingLoop(AlertEngine engine, Dispatcher dispatcher, AlertRepository repository, SilenceStore silences,
            NotificationOutbox outbox, OutboxWorkers workers, Clock clock, Duration tick) {
        this.engine = engine;
        this.dispatcher = dispatcher;
        this.repository = repository;
        this.silences = silences;
        this.outbox = outbox;
        this.workers = workers;
        this.clock = clock;
        this.tick = tick;
    }

    /**
     * Hands signals to the loop; the future completes once they are applied and everything they
     * changed is in Redis (so an event acknowledged to its sender cannot be lost by a restart).
     */
    public CompletableFuture<Void> submit(Collection<AlertSignal> signals) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new IllegalStateException("alerting is not running"));
            return done;
        }
        tasks.add(() -> {
            Instant now = clock.instant();
            for (AlertSignal signal : signals) {
                if (signal.eventId() == null || recentEvents.put(signal.eventId() + "|" + signal.name(), Boolean.TRUE) == null) {
                    engine.apply(signal, now, changes);
                }
            }
            waiting.add(done);
        });
        return done;
    }

    /**
     * Hands alerts pushed through the Alertmanager API to the loop; the future completes once they
     * are applied and stored, as for {@link #submit}.
     */
    public CompletableFuture<Void> push(List<PushedAlert> pushed) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new IllegalStateException("alerting is not running"));
            return done;
        }
        tasks.add(() -> {
            Instant now = clock.instant();
            pushed.forEach(alert -> engine.push(alert, now, changes));
            waiting.add(done);
        });
        return done;
    }

    /** Look again now (a silence changed). */
    public void wake() {
        tasks.add(() -> {
        });
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    private void run() {
        while (running) {
            try {
                if (!restored && !restore()) {
                    sleep(Duration.ofSeconds(1));
                    continue;
                }
                Runnable task = tasks.poll(waitMillis(), TimeUnit.MILLISECONDS);
                while (task != null) {
                    task.run();
                    task = tasks.poll();
                }
                pass();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                log.error("Alerting pass failed; continuing", e);
                sleep(RETRY_WRITES);
            }
        }
        if (restored) {
            pass(); // last writes before stopping
        }
    }

    private void pass() {
        Instant now = clock.instant();
        engine.tick(now, changes);
        Dispatcher.Result result = dispatcher.flush(now, engine.snapshot(), silences.current());
        for (Notification notification : result.notices()) {
            if (workers.delivers(notification.receiver())) {
                unsent.add(notification);
            } else if (silentReceivers.add(notification.receiver())) {
                log.warn("Receiver '{}' has no channel configured: its alerts are kept (GET /alerts) but not sent",
                        notification.receiver());
            }
        }
        result.changed().forEach(group -> {
            groupWrites.put(group.key(), group);
            groupRemovals.remove(group.key());
        });
        result.removed().forEach(key -> {
            groupWrites.remove(key);
            groupRemovals.add(key);
        });
        write();
        List<View> views = engine.snapshot().stream().map(a -> new View(a, result.muted().get(a.fingerprint()))).toList();
        snapshot = new Snapshot(views, now, true);
    }

    /** Notifications first (a decision is in the outbox before it is recorded as told), then state. */
    private void write() {
        try {
            while (!unsent.isEmpty()) {
                Notification notification = unsent.peekFirst();
                if (outbox.enqueue(notification)) {
                    workers.wake(notification.receiver());
                }
                unsent.removeFirst();
            }
            if (!changes.isEmpty() || !changes.transitions().isEmpty() || !groupWrites.isEmpty() || !groupRemovals.isEmpty()) {
                repository.save(changes.changed(), changes.removed(), groupWrites.values(), groupRemovals, changes.transitions());
                changes.clear();
                groupWrites.clear();
                groupRemovals.clear();
            }
            waiting.forEach(done -> done.complete(null));
            waiting.clear();
            if (writesFailing) {
                writesFailing = false;
                log.info("Alerting state written to Redis again");
            }
        } catch (RuntimeException e) {
            if (!writesFailing) {
                writesFailing = true;
                log.warn("Alerting state not written to Redis ({}); kept in memory and retried", e.getMessage());
            }
        }
    }

    private boolean restore() {
        try {
            Instant now = clock.instant();
            engine.restore(repository.alerts(), now, changes);
            groupRemovals.addAll(dispatcher.restore(repository.groups()));
            restored = true;
            log.info("Alerting restored {} alerts and {} groups from Redis", engine.alerts().size(), dispatcher.groups().size());
            return true;
        } catch (RuntimeException e) {
            log.warn("Alerting state not readable from Redis yet ({}); signals wait", e.getMessage());
            return false;
        }
    }

    private long waitMillis() {
        Instant now = clock.instant();
        if (!unsent.isEmpty() || !changes.isEmpty() || !groupWrites.isEmpty() || !groupRemovals.isEmpty()) {
            return RETRY_WRITES.toMillis();
        }
        long cap = engine.alerts().isEmpty() ? IDLE.toMillis() : tick.toMillis();
        Instant due = earliest(engine.nextDue(), dispatcher.nextDue(now));
        if (due == null) {
            return cap;
        }
        return Math.max(0, Math.min(cap, Duration.between(now, due).toMillis()));
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    private void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Off when a leader election starts and stops the loop (only the leader of a pair decides). */
    public void setAutoStartup(boolean autoStartup) {
        this.autoStartup = autoStartup;
    }

    @Override
    public boolean isAutoStartup() {
        return autoStartup;
    }

    /** Starts from what Redis holds, whatever this member knew before (it may have been a standby). */
    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        restored = false;
        changes.clear();
        unsent.clear();
        groupWrites.clear();
        groupRemovals.clear();
        tasks.clear();
        running = true;
        thread = new Thread(this::run, "ghost-alerting");
        thread.setDaemon(true);
        thread.start();
    }

    /** Signals not yet stored are refused to their senders, who send them again (to the new leader). */
    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        wake();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tasks.clear();
        IllegalStateException stopped = new IllegalStateException("alerting stopped before these signals were stored");
        waiting.forEach(done -> done.completeExceptionally(stopped));
        waiting.clear();
        snapshot = new Snapshot(List.of(), clock.instant(), false);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stopped after the web server finished its requests, before the outbox workers. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048 - 1;
    }
}
