package dev.ghost.relay.event;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The events hub ({@code ghost.relay.*}).
 *
 * @param subscribers Eureka service name → event-type patterns it receives ({@code *} matches any run of characters),
 *                    e.g. {@code ghost.relay.subscribers.ml-monitor=patch.*,health.*}; an empty list switches one off
 * @param events      how events are accepted and delivered
 */
@ConfigurationProperties("ghost.relay")
@Validated
public record EventsProperties(@DefaultValue Map<String, List<String>> subscribers, @DefaultValue @Valid Delivery events) {

    public EventsProperties {
        subscribers = Collections.unmodifiableMap(new LinkedHashMap<>(subscribers));
    }

    /** Subscribers with at least one pattern. */
    public Map<String, List<String>> activeSubscribers() {
        Map<String, List<String>> active = new LinkedHashMap<>();
        subscribers.forEach((name, patterns) -> {
            List<String> kept = patterns == null ? List.of()
                    : patterns.stream().map(String::trim).filter(pattern -> !pattern.isEmpty()).toList();
            if (!kept.isEmpty()) {
                active.put(name, kept);
            }
        });
        return active;
    }

    /**
     * Delivery to subscribers ({@code ghost.relay.events.*}).
     *
     * @param maxBatch            most events accepted in one POST /events
     * @param batchSize           most events sent to a subscriber in one POST
     * @param maxAttempts         refusals (non-2xx other than 'unavailable') of one event before it is parked as a dead letter
     * @param firstBackoff        first wait after a failed delivery; doubles per failure, with jitter
     * @param maxBackoff          longest wait between two delivery attempts
     * @param timeout             how long one delivery POST may take
     * @param pollInterval        how often an idle worker looks for events other relay instances accepted (those this
     *                            instance accepts wake it at once)
     * @param lease               a relay instance's lease on delivering to one subscriber (keeps per-subscriber order with
     *                            several relays)
     * @param outboxMaxLength     cap of each subscriber's outbox (undelivered events)
     * @param deadLetterMaxLength cap of each subscriber's dead-letter stream
     */
    public record Delivery(
            @DefaultValue("1000") @Positive int maxBatch,
            @DefaultValue("500") @Positive int batchSize,
            @DefaultValue("5") @Positive int maxAttempts,
            @DefaultValue("500ms") @NotNull Duration firstBackoff,
            @DefaultValue("30s") @NotNull Duration maxBackoff,
            @DefaultValue("10s") @NotNull Duration timeout,
            @DefaultValue("1s") @NotNull Duration pollInterval,
            @DefaultValue("15s") @NotNull Duration lease,
            @DefaultValue("200000") @Positive long outboxMaxLength,
            @DefaultValue("10000") @Positive long deadLetterMaxLength) {
    }
}
