package dev.ghost.common.event;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Something that happened, as services tell each other: a unique {@code id} (receivers drop
 * duplicates by it), a dotted {@code type} such as {@code patch.succeeded}, the emitting
 * {@code source} instance, when, and type-specific {@code data}.
 */
public record GhostEvent(String id, String type, String source, Instant time, Map<String, Object> data) {

    public GhostEvent {
        data = data == null ? Map.of() : Map.copyOf(data);
    }

    public static GhostEvent of(String type, String source, Map<String, Object> data) {
        return new GhostEvent(UUID.randomUUID().toString(), type, source, Instant.now(), data);
    }
}
