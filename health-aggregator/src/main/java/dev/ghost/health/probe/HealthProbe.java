package dev.ghost.health.probe;

import java.util.Map;

/**
 * What one health call found.
 *
 * @param up             the instance answered and does not call itself down
 * @param httpStatus     the HTTP status, 0 when there was no answer
 * @param reportedStatus the {@code status} in the body (UP, DOWN, OUT_OF_SERVICE...), or null
 * @param reason         why it is not up (connection refused, timeout, which components are down), or null
 * @param latencyMs      how long the call took
 * @param components     status of each top-level health component, when the instance shows them
 */
public record HealthProbe(boolean up, int httpStatus, String reportedStatus, String reason, long latencyMs,
        Map<String, String> components) {

    public HealthProbe {
        components = components == null ? Map.of() : Map.copyOf(components);
    }

    public static HealthProbe unreachable(String reason, long latencyMs) {
        return new HealthProbe(false, 0, null, reason, latencyMs, Map.of());
    }
}
