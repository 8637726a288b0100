package dev.ghost.ml.alerting.sources;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.ghost.common.event.GhostEvent;
import dev.ghost.ml.alerting.engine.AlertingLoop;
import dev.ghost.ml.alerting.model.AlertSignal;

/** Feeds health, patch and relay events to the alerting loop and waits until what they changed is stored. */
public class AlertingEventSource implements GhostEventListener {

    /** The alerting loop could not record the events in time (Redis unreachable, shutting down). */
    public static class NotRecordedException extends RuntimeException {
        NotRecordedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final EventSignals signals;
    private final AlertingLoop loop;
    private final Duration timeout;

    public AlertingEventSource(EventSignals signals, AlertingLoop loop, Duration timeout) {
        this.signals = signals;
        this.loop = loop;
        this.timeout = timeout;
    }

    @Override
    public void onEvents(List<GhostEvent> events) {
        List<AlertSignal> batch = events.stream().flatMap(event -> signals.from(event).stream()).toList();
        if (batch.isEmpty()) {
            return;
        }
        try {
            loop.submit(batch).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotRecordedException("interrupted while recording alert signals", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new NotRecordedException("alert signals not recorded within " + timeout + ": " + e.getMessage(), e);
        }
    }
}
