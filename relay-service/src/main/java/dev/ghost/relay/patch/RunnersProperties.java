package dev.ghost.relay.patch;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the relay talks to runners ({@code ghost.relay.runners.*}).
 *
 * @param connectTimeout       connect timeout to a runner; a refused or timed-out connection moves the call to the next runner
 * @param readTimeout          how long an API call to a runner may take (logs stream without a limit)
 * @param connectionsPerRunner connections kept per runner instance
 * @param retryAfterSeconds    seconds a 503 "no runner available" asks the client to wait
 * @param finishedAnswersFor   how long the relay itself answers a resubmission of a finished patch (the very same
 *                             body) with the runner's dedup answer; 0 sends every one to a runner
 * @param breaker              the circuit breaker kept per runner instance
 */
@ConfigurationProperties("ghost.relay.runners")
@Validated
public record RunnersProperties(
        @DefaultValue("1s") @NotNull Duration connectTimeout,
        @DefaultValue("30s") @NotNull Duration readTimeout,
        @DefaultValue("64") @Positive int connectionsPerRunner,
        @DefaultValue("5") @Positive int retryAfterSeconds,
        @DefaultValue("1m") @NotNull Duration finishedAnswersFor,
        @DefaultValue @Valid Breaker breaker) {

    /**
     * The circuit breaker kept per runner instance (Resilience4j, count-based window).
     *
     * @param window               calls remembered per runner
     * @param minimumCalls         calls needed before the failure rate counts
     * @param failureRateThreshold failure rate (percent) that opens the circuit
     * @param openFor              how long an open circuit keeps the runner out of rotation before one trial call
     */
    public record Breaker(
            @DefaultValue("10") @Positive int window,
            @DefaultValue("4") @Positive int minimumCalls,
            @DefaultValue("50") @DecimalMin(value = "0", inclusive = false) @DecimalMax("100") float failureRateThreshold,
            @DefaultValue("10s") @NotNull Duration openFor) {
    }
}
