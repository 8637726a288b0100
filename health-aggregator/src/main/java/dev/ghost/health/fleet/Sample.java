package dev.ghost.health.fleet;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.ghost.health.probe.Figures;

/**
 * One instance's result of one polling round: kept as history and sent as a metric sample.
 *
 * @param up     what this poll saw (the confirmed status may still differ)
 * @param status the confirmed status after this poll
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Sample(String service, String instance, long at, boolean up, Status status, long latencyMs, Figures figures) {
}
