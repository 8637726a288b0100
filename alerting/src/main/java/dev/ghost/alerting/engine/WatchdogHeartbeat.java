package dev.ghost.alerting.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.springframework.context.SmartLifecycle;

import dev.ghost.alerting.model.Labels;

/**
 * Keeps the Watchdog alert firing, as Prometheus' {@code vector(1)} rule does for Alertmanager: pushed
 * every interval with an end three intervals away, so it resolves only if alerting stops. Pushed
 * only where the loop runs (the leader of a pair); elsewhere the push is refused and skipped.
 */
public class WatchdogHeartbeat implements SmartLifecycle {

    static final Labels LABELS = Labels.of(Map.of("alertname", "Watchdog", "severity", "none", "origin", "ghost"));
    private static final Map<String, String> ANNOTATIONS = Map.of("summary",
            "Alerting is alive. This alert always fires; whoever receives it raises the alarm when it stops arriving.");

    private final AlertingLoop loop;
    private final Duration interval;
    private final Clock clock;
    private final boolean enabled;
    private ScheduledExecutorService timer;

    /** @param enabled whether a receiver takes the heartbeat; if not, nothing is pushed */
    public WatchdogHeartbeat(AlertingLoop loop, Duration interval, Clock clock, boolean enabled) {
        this.loop = loop;
        this.interval = interval;
        this.clock = clock;
        this.enabled = enabled;
    }

    private void beat() {
        if (loop.isRunning()) {
            loop.push(List.of(new PushedAlert(LABELS, ANNOTATIONS, null, clock.instant().plus(interval.multipliedBy(3)), null)));
        }
    }

    @Override
    public synchronized void start() {
        if (!enabled) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ghost-alerting-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleAtFixedRate(this::beat, 0, Math.max(1, interval.toMillis() / 2), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }
}
