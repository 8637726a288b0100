package dev.ghost.health.probe;

import java.util.Map;
import java.util.NavigableMap;

/**
 * The raw figures read from one Prometheus scrape. Gauges are as scraped; counters and histogram
 * buckets are cumulative, so rates and p99 come from the difference of two snapshots
 * ({@link Figures#between}). Any field is null (or empty) when the instance does not export it.
 *
 * @param httpRequests    requests served (all URIs but /actuator/**), cumulative
 * @param httpErrors      of those, answered with a 5xx status, cumulative
 * @param latencyBuckets  cumulative count per upper bound in seconds ({@code le}), summed over those requests
 * @param ghost           every {@code ghost_*} gauge or counter, summed over its labels
 */
public record MetricsSnapshot(long takenAtMillis, Double processCpu, Double systemCpu, Double heapUsed, Double heapMax,
        Double diskFree, Double diskTotal, Double uptimeSeconds, Double httpRequests, Double httpErrors,
        NavigableMap<Double, Double> latencyBuckets, Map<String, Double> ghost) {
}
