package dev.ghost.health.probe;

import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The resource figures of one instance at one poll. Rates and p99 cover the time since the
 * previous poll; a field is null when the instance does not export what it needs.
 *
 * @param cpuProcess    this process's share of the machine's CPU, 0..1
 * @param cpuSystem     the whole machine's CPU use, 0..1
 * @param requestRate   requests per second (not counting /actuator/**)
 * @param errorRate     5xx answers per second
 * @param errorRatio    5xx answers / requests, 0..1 (null when no requests)
 * @param p99Ms         99th percentile of request latency in milliseconds (needs the http.server.requests histogram)
 * @param queueDepth    GHOST runner: patches waiting
 * @param running       GHOST runner: patches running
 * @param restarted     the process restarted since the previous poll (its uptime went back)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Figures(Double cpuProcess, Double cpuSystem, Double heapUsed, Double heapMax, Double diskFree,
        Double diskTotal, Double requestRate, Double errorRate, Double errorRatio, Double p99Ms, Double uptimeSeconds,
        Double queueDepth, Double running, Boolean restarted) {

    static final List<String> QUEUE_DEPTH = List.of("ghost_runner_queue_depth", "ghost_runner_queue_size", "ghost_runner_queued");
    static final List<String> RUNNING = List.of("ghost_runner_running", "ghost_runner_running_patches", "ghost_runner_active");

    /** Figures of {@code current}, with rates from the counters' growth since {@code previous} (may be null). */
    public static Figures between(MetricsSnapshot previous, MetricsSnapshot current) {
        boolean restarted = previous != null && previous.uptimeSeconds() != null && current.uptimeSeconds() != null
                && current.uptimeSeconds() < previous.uptimeSeconds();
        // Counters restart from zero with the process: no rate across a restart.
        MetricsSnapshot base = restarted ? null : previous;
        Double requestRate = null;
        Double errorRate = null;
        Double errorRatio = null;
        Double p99 = null;
        if (base != null && current.takenAtMillis() > base.takenAtMillis()) {
            double seconds = (current.takenAtMillis() - base.takenAtMillis()) / 1000.0;
            Double requests = delta(base.httpRequests(), current.httpRequests());
            Double errors = delta(base.httpErrors(), current.httpErrors());
            if (requests != null) {
                requestRate = requests / seconds;
                if (errors != null) {
                    errorRate = errors / seconds;
                    errorRatio = requests > 0 ? errors / requests : null;
                }
            }
            p99 = quantileMs(base.latencyBuckets(), current.latencyBuckets(), 0.99);
        }
        return new Figures(current.processCpu(), current.systemCpu(), current.heapUsed(), current.heapMax(),
                current.diskFree(), current.diskTotal(), requestRate, errorRate, errorRatio, p99,
                current.uptimeSeconds(), first(current.ghost(), QUEUE_DEPTH), first(current.ghost(), RUNNING),
                restarted ? Boolean.TRUE : null);
    }

    private static Double delta(Double before, Double now) {
        if (before == null || now == null || now < before) {
            return null;
        }
        return now - before;
    }

    /**
     * The quantile of the requests that arrived between two cumulative histograms, interpolated
     * linearly inside the bucket it falls in (as Prometheus's histogram_quantile does).
     */
    static Double quantileMs(NavigableMap<Double, Double> before, NavigableMap<Double, Double> now, double quantile) {
        if (now.isEmpty()) {
            return null;
        }
        Double total = diff(before, now, Double.POSITIVE_INFINITY);
        if (total == null || total <= 0) {
            return null;
        }
        double rank = quantile * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> bucket : now.entrySet()) {
            Double count = diff(before, now, bucket.getKey());
            if (count == null) {
                return null;
            }
            if (count >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return lowerBound * 1000; // above the largest bound: the best we can say
                }
                double inBucket = count - lowerCount;
                double fraction = inBucket <= 0 ? 1 : (rank - lowerCount) / inBucket;
                return (lowerBound + (bucket.getKey() - lowerBound) * fraction) * 1000;
            }
            lowerBound = bucket.getKey();
            lowerCount = count;
        }
        return null;
    }

    private static Double diff(NavigableMap<Double, Double> before, NavigableMap<Double, Double> now, double bound) {
        Double current = now.get(bound);
        if (current == null) {
            return null;
        }
        double previous = before == null ? 0 : before.getOrDefault(bound, 0.0);
        return current >= previous ? current - previous : null;
    }

    private static Double first(Map<String, Double> ghost, List<String> names) {
        for (String name : names) {
            Double value = ghost.get(name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
