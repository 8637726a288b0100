package dev.ghost.health.fleet;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A change worth telling: becomes one {@code health.*} event.
 *
 * @param instance null for a service transition
 * @param via      what noticed it: poll, confirm, watch (the instance closed its connection), hint, registry
 */
public record Transition(Kind kind, String service, String instance, Status from, Status to, Instant at,
        String reason, String via, int flips, Long downMillis) {

    public enum Kind {
        INSTANCE_UP("health.instance.up"),
        INSTANCE_DOWN("health.instance.down"),
        INSTANCE_FLAPPING("health.instance.flapping"),
        INSTANCE_APPEARED("health.instance.appeared"),
        INSTANCE_DISAPPEARED("health.instance.disappeared"),
        SERVICE_DEGRADED("health.service.degraded"),
        SERVICE_DOWN("health.service.down"),
        SERVICE_RECOVERED("health.service.recovered");

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
        data.put("service", service);
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
