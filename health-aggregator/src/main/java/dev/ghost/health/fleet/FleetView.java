package dev.ghost.health.fleet;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything at one moment: the system's status, how many services are in each status, every
 * service with its instances, and the last polling round. {@code version} grows with every
 * change, so clients and caches can tell whether anything moved.
 */
public record FleetView(long version, Instant at, Status status, Map<Status, Integer> counts, long intervalMs,
        Round lastRound, List<ServiceView> services) {

    /** @param durationMs from the round's start until its last probe answered */
    public record Round(long number, Instant startedAt, long durationMs, int polled) {
    }

    public static FleetView empty(long intervalMs) {
        return new FleetView(0, Instant.now(), Status.UNKNOWN, Map.of(), intervalMs, null, List.of());
    }

    public ServiceView service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }
}
