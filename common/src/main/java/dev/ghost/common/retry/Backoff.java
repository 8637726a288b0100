package dev.ghost.common.retry;

import java.time.Duration;

import io.github.resilience4j.core.IntervalFunction;

/**
 * GHOST's one retry-wait policy, for every loop that retries until the other side answers (the
 * event publisher to the relay, the relay to its subscribers, alerting's outbox to a channel, a
 * runner waiting for Redis or for a target's lock):
 * Resilience4j's exponential random backoff, doubling from {@code first} up to {@code max}, each
 * wait drawn within ±50 % of its step so that many retrying clients never hit a recovering
 * server in step.
 */
public final class Backoff {

    static final double MULTIPLIER = 2.0;
    static final double RANDOMIZATION = 0.5;

    private Backoff() {
    }

    /** Waits by attempt number (1 = the wait after the first failure), in milliseconds. */
    public static IntervalFunction exponential(Duration first, Duration max) {
        return IntervalFunction.ofExponentialRandomBackoff(first, MULTIPLIER, RANDOMIZATION, max);
    }
}
