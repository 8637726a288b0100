package dev.ghost.alerting.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/** A sliding-window count of one route's messages. In memory: a restart forgets at most one window. */
final class RateLimiter {

    private final int max;
    private final Duration window;
    private final Deque<Instant> sent = new ArrayDeque<>();

    RateLimiter(int max, Duration window) {
        this.max = max;
        this.window = window;
    }

    int available(Instant now) {
        prune(now);
        return max - sent.size();
    }

    void record(Instant now) {
        sent.addLast(now);
    }

    Instant nextSlot(Instant now) {
        prune(now);
        return sent.size() < max ? now : sent.peekFirst().plus(window);
    }

    private void prune(Instant now) {
        while (!sent.isEmpty() && !sent.peekFirst().plus(window).isAfter(now)) {
            sent.removeFirst();
        }
    }
}
