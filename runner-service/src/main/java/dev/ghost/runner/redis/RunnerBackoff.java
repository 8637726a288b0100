package dev.ghost.runner.redis;

import java.time.Duration;

import io.github.resilience4j.core.IntervalFunction;

import dev.ghost.common.retry.Backoff;

/**
 * The runner's waits where it must not give up, both GHOST's one retry-wait policy ({@link Backoff})
 * on their own scale, by attempt number (1 = the wait after the first refusal).
 */
public final class RunnerBackoff {

    /**
     * Redis unreachable (a patch waiting for its target's lock, crash recovery): 100 ms doubling to
     * 2 s. Patient, since every waiting patch of every runner asks again when Redis returns.
     */
    public static final IntervalFunction REDIS_AWAY = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(2));

    /**
     * A target's lock held by another patch, here or on another runner: 10 ms doubling to 200 ms,
     * since many patches are short and the next one should start soon after.
     */
    public static final IntervalFunction LOCK_HELD = Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(200));

    private RunnerBackoff() {
    }
}
