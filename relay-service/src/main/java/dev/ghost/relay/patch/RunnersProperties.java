package dev.ghost.relay.patch;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** How the relay talks to runners ({@code ghost.relay.runners.*}). */
@ConfigurationProperties("ghost.relay.runners")
public class RunnersProperties {

    /** Connect timeout to a runner; a refused or timed-out connection moves the call to the next runner. */
    private Duration connectTimeout = Duration.ofSeconds(1);

    /** How long an API call to a runner may take (logs stream without a limit). */
    private Duration readTimeout = Duration.ofSeconds(30);

    /** Connections kept per runner instance. */
    private int connectionsPerRunner = 64;

    /** Seconds a 503 "no runner available" asks the client to wait. */
    private int retryAfterSeconds = 5;

    private final Breaker breaker = new Breaker();

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getReadTimeout() {
        return readTimeout;
    }

    public void setReadTimeout(Duration readTimeout) {
        this.readTimeout = readTimeout;
    }

    public int getConnectionsPerRunner() {
        return connectionsPerRunner;
    }

    public void setConnectionsPerRunner(int connectionsPerRunner) {
        this.connectionsPerRunner = connectionsPerRunner;
    }

    public int getRetryAfterSeconds() {
        return retryAfterSeconds;
    }

    public void setRetryAfterSeconds(int retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public Breaker getBreaker() {
        return breaker;
    }

    /** The circuit breaker kept per runner instance (Resilience4j, count-based window). */
    public static class Breaker {

        /** Calls remembered per runner. */
        private int window = 10;

        /** Calls needed before the failure rate counts. */
        private int minimumCalls = 4;

        /** Failure rate (percent) that opens the circuit. */
        private float failureRateThreshold = 50;

        /** How long an open circuit keeps the runner out of rotation before one trial call. */
        private Duration openFor = Duration.ofSeconds(10);

        public int getWindow() {
            return window;
        }

        public void setWindow(int window) {
            this.window = window;
        }

        public int getMinimumCalls() {
            return minimumCalls;
        }

        public void setMinimumCalls(int minimumCalls) {
            this.minimumCalls = minimumCalls;
        }

        public float getFailureRateThreshold() {
            return failureRateThreshold;
        }

        public void setFailureRateThreshold(float failureRateThreshold) {
            this.failureRateThreshold = failureRateThreshold;
        }

        public Duration getOpenFor() {
            return openFor;
        }

        public void setOpenFor(Duration openFor) {
            this.openFor = openFor;
        }
    }
}
