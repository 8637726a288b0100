package dev.ghost.ml.signal;

import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Where every signal goes: Redis (capped, for the API and after restarts) and each
 * {@link AlertSink}. A failing store or sink is logged and counted, never propagated: the event
 * that raised the signal was processed either way.
 */
@Component
public class SignalPublisher {

    private static final Logger log = LoggerFactory.getLogger(SignalPublisher.class);

    private final SignalStore store;
    private final List<AlertSink> sinks;
    private final MeterRegistry meters;

    public SignalPublisher(SignalStore store, List<AlertSink> sinks, MeterRegistry meters) {
        this.store = store;
        this.sinks = sinks;
        this.meters = meters;
    }

    public void publish(Signal signal) {
        meters.counter("ghost.ml.signals", "kind", signal.kind().key()).increment();
        try {
            store.save(signal);
        } catch (RuntimeException e) {
            log.warn("Signal {} ({}) not stored: {}", signal.id(), signal.kind().key(), e.getMessage());
        }
        for (AlertSink sink : sinks) {
            try {
                sink.accept(signal);
            } catch (RuntimeException e) {
                log.warn("Alert sink {} refused signal {}: {}", sink.getClass().getSimpleName(), signal.id(), e.getMessage());
            }
        }
    }
}
