package dev.ghost.health.probe;

import java.net.URI;

/**
 * One instance to watch, as the registry describes it.
 *
 * @param id             the registry's instance id, unique across services
 * @param service        the service name, lower case
 * @param health         the instance's health URL
 * @param metrics        its Prometheus URL (probed too; instances without one just have no figures)
 * @param authorization  the Authorization header it may be sent (GHOST's service token, the registry's
 *                       basic credentials), or null: never GHOST's secret to a foreign service
 * @param registryStatus what the instance told the registry (UP, DOWN, STARTING, OUT_OF_SERVICE, ...)
 */
public record Target(String id, String service, String host, int port, URI health, URI metrics,
        String authorization, String registryStatus) {

    /** Same instance, same addresses: a registry refresh that changes nothing we probe. */
    public boolean sameEndpoints(Target other) {
        return other != null && health.equals(other.health) && metrics.equals(other.metrics)
                && java.util.Objects.equals(authorization, other.authorization);
    }

    /** Without the credential: targets may be logged. */
    @Override
    public String toString() {
        return "Target[" + id + " " + health + (authorization == null ? "" : " (with credential)") + "]";
    }
}
