package dev.ghost.health.fleet;

/**
 * Status of an instance (UNKNOWN, UP, DOWN, FLAPPING), a service or the whole system
 * (UNKNOWN, UP, DEGRADED, DOWN).
 */
public enum Status {
    /** Not probed yet. */
    UNKNOWN,
    UP,
    /** Some instances (services) are not UP, at least one is. */
    DEGRADED,
    /** Flipped between UP and DOWN too often to call either; reported once until it settles. */
    FLAPPING,
    DOWN;

    /** Worse of two, for rolling statuses up: DOWN, FLAPPING, DEGRADED, UP, UNKNOWN. */
    public static Status worst(Status a, Status b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }
}
