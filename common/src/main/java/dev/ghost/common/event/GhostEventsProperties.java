package dev.ghost.common.event;

import java.time.Duration;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How a service hands its events on ({@code ghost.events.*}).
 *
 * @param transport      {@code relay} (HTTP to the relay's hub through the load balancer) or {@code redis} (append to
 *                       the capped {@code ghost:events} stream); unset: relay when {@code eureka.client.enabled} is true
 *                       (the default), else redis, as in single-service tests. Read before binding, by the condition
 *                       that chooses the publisher
 * @param relayService   Eureka name of the relay
 * @param bufferCapacity events held while the relay is unreachable; beyond it new events are dropped and counted
 * @param batchSize      most events sent in one POST
 * @param maxBackoff     longest wait between two attempts to reach the relay
 * @param shutdownGrace  how long shutdown waits for buffered events to reach the relay
 */
@ConfigurationProperties("ghost.events")
@Validated
public record GhostEventsProperties(
        String transport,
        @DefaultValue("relay-service") @NotBlank String relayService,
        @DefaultValue("10000") @Positive int bufferCapacity,
        @DefaultValue("500") @Positive int batchSize,
        @DefaultValue("10s") @NotNull Duration maxBackoff,
        @DefaultValue("5s") @NotNull Duration shutdownGrace) {
}
