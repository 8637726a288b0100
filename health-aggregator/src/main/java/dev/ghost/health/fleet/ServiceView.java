package dev.ghost.health.fleet;

import java.time.Instant;
import java.util.List;

/**
 * A service: UP when all its registered instances are, DEGRADED when some are not, DOWN when
 * none answers (or none is registered any more).
 *
 * @param up    registered instances that are UP
 * @param total registered instances with a known status
 */
public record ServiceView(String name, Status status, Instant since, int up, int total, List<InstanceView> instances) {
}
