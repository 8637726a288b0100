package dev.ghost.relay.event;

import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.common.event.EventPublisher;
import dev.ghost.common.event.GhostEvent;

/**
 * The relay's own {@link EventPublisher}: its events ({@code relay.dead_letter},
 * {@code relay.runner_circuit}) go straight into its hub, no HTTP round trip to itself. Never
 * throws: an event that cannot be stored (Redis down) is logged and counted.
 */
public class HubEventPublisher implements EventPublisher {

    private static final Logger log = LoggerFactory.getLogger(HubEventPublisher.class);

    private final ObjectProvider<EventHub> hub;
    private final JsonMapper json;
    private final Counter dropped;

    public HubEventPublisher(ObjectProvider<EventHub> hub, JsonMapper json, MeterRegistry meters) {
        this.hub = hub;
        this.json = json;
        this.dropped = Counter.builder("ghost.events.dropped")
                .description("Events the relay could not store in its own hub").register(meters);
    }

    @Override
    public void publish(GhostEvent event) {
        Object about = event.type().startsWith("relay.") ? event.data().get("subscriber") : null;
        try {
            hub.getObject().accept(List.of(new EventHub.Accepted(event.id(), event.type(),
                    about == null ? null : about.toString(), json.writeValueAsString(event))));
        } catch (RuntimeException e) {
            dropped.increment();
            log.warn("Event {} ({}) not stored: {}", event.id(), event.type(), e.getMessage());
        }
    }
}
