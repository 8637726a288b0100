package dev.ghost.health.fleet;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.ghost.health.probe.Figures;

/**
 * One instance as the API and the dashboard show it.
 *
 * @param registered     still in the registry; an instance that left stays listed until forgotten
 * @param registryStatus what it told the registry
 * @param flips          raw UP/DOWN flips within the flapping window
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InstanceView(String id, String service, String host, int port, Status status, Instant since,
        boolean registered, String registryStatus, String reason, Long latencyMs, Instant lastProbeAt, int flips,
        Figures figures, Map<String, String> components) {
}
