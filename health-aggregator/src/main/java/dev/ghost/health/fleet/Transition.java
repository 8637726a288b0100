package dev.ghost.health.fleet;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A change worth telling: becomes one {@code health.*} event.
 *
 * @param instance   null for a service or dependency transition
 * @param via        what noticed it: poll, confirm, watch (the instance closed its connection), hint, registry
 * @param dependency for a dependency transition: what several services share (redis, eureka); else null
 * @param services   for a dependency transition: the services it took down
 */
public record Transition(Kind kind, String service, String instance, Status from, Status to, Instant at,
        String reason, String via, int flips, Long downMillis, String dependency, List<String> services) {

    public Transition(Kind kind, String service, String instance, Status from, Status to, Instant at, String reason, String via,
            int flips, Long downMillis) {
        this(kind, service, instance, from, to, at, reason, via, flips, downMillis, null, List.of());
    }

    public Transition {
        services = services == null ? List.of() : List.copyOf(services);
    }

    public static Transition dependency(Kind kind, String dependency, Status from, Status to, Instant at, String reason,
            List<String> services, Long downMillis) {
        return new Transition(kind, null, null, from, to, at, reason, null, 0, downMillis, dependency, services);
    }

    /** What it is about, for logs: the dependency, instance or service. */
    public String subject() {
        return dependency != null ? dependency : instance != null ? instance : service;
    }

    public enum Kind {
        INSTANCE_UP("health.instance.up"),
        INSTANCE_DOWN("health.instance.down"),
        INSTANCE_FLAPPING("health.instance.flapping"),
        INSTANCE_APPEARED("health.instance.appeared"),
        INSTANCE_DISAPPEARED("health.instance.disappeared"),
        SERVICE_DEGRADED("health.service.degraded"),
        SERVICE_DOWN("health.service.down"),
        SERVICE_RECOVERED("health.service.recovered"),
        DEPENDENCY_DOWN("health.dependency.down"),
        DEPENDENCY_UP("health.dependency.up");

        private final String eventType;

        Kind(String eventType) {
            this.eventType = eventType;
        }

        public String eventType() {
            return eventType;
        }
    }

    /** The event's data: only what is known, no nulls. */
    public Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        if (dependency != null) {
            data.put("dependency", dependency);
            data.put("services", services);
        } else {
            data.put("service", service);
        }
        if (instance != null) {
            data.put("instance", instance);
        }
        data.put("status", to.name());
        data.put("previous", from.name());
        data.put("at", at.toString());
        if (reason != null) {
            data.put("reason", reason);
        }
        if (via != null) {
            data.put("via", via);
        }
        if (flips > 0) {
            data.put("flips", flips);
        }
        if (downMillis != null) {
            data.put("downMillis", downMillis);
        }
        return data;
    }
}
