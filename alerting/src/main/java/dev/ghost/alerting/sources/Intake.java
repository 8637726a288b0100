package dev.ghost.alerting.sources;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.ghost.alerting.AlertIntake;
import dev.ghost.alerting.AlertSignal;
import dev.ghost.alerting.engine.AlertingLoop;
import dev.ghost.common.event.GhostEvent;

/** Signals to the alerting loop as they come; events through {@link EventSignals}, waiting until what they changed is stored. */
public class Intake implements AlertIntake {

    private final EventSignals signals;
    private final AlertingLoop loop;
    private final Duration timeout;

    public Intake(EventSignals signals, AlertingLoop loop, Duration timeout) {
        this.signals = signals;
        this.loop = loop;
        this.timeout = timeout;
    }

    @Override
    public void submit(Collection<AlertSignal> batch) {
        loop.submit(batch); // a loop that is not running completes the future exceptionally: nothing to wait for
    }

    @Override
    public void record(List<GhostEvent> events) {
        List<AlertSignal> batch = events.stream().flatMap(event -> signals.from(event).stream()).toList();
        if (batch.isEmpty()) {
            return;
        }
        try {
            loop.submit(batch).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventsNotRecordedException("interrupted while recording alert signals", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new EventsNotRecordedException("alert signals not recorded within " + timeout + ": " + e.getMessage(), e);
        }
    }
}
