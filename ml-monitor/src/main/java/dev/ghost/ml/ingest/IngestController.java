package dev.ghost.ml.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.common.event.GhostEvent;
import dev.ghost.common.patch.Violation;
import dev.ghost.common.problem.GhostProblemException;
import dev.ghost.common.problem.InvalidRequestException;
import dev.ghost.ml.MlKeys;
import dev.ghost.ml.MlProperties;

/**
 * Inputs: {@code POST /events} (SERVICE) takes one {@link GhostEvent} or a JSON array of them;
 * an id seen before (Redis {@code SET NX} with a TTL) is dropped. {@code POST /logs} (SUBMIT)
 * takes plain lines or NDJSON for systems outside GHOST. A body with any invalid item is refused
 * whole (400, every violation listed), so nothing is half-applied.
 */
@RestController
public class IngestController {

    /** @param duplicates events whose id was seen before (within the dedup TTL): dropped */
    public record EventsAccepted(int accepted, int duplicates) {
    }

    /** @param newTemplates per source, how many templates these lines created */
    public record LogsAccepted(int accepted, Map<String, Integer> newTemplates) {
    }

    static final int MAX_LINE = 16_384;

    private final EventRouter router;
    private final StringRedisTemplate redis;
    private final JsonMapper json;
    private final Duration dedupTtl;
    private final List<GhostEventListener> listeners;

    public IngestController(EventRouter router, StringRedisTemplate redis, JsonMapper json,
            MlProperties ml, List<GhostEventListener> listeners) {
        this.router = router;
        this.redis = redis;
        this.json = json;
        this.dedupTtl = ml.events().dedupTtl();
        this.listeners = listeners;
    }

    @PostMapping(path = "/events", consumes = "application/json")
    @PreAuthorize("hasRole('SERVICE')")
    public ResponseEntity<EventsAccepted> events(@RequestBody String body) {
        JsonNode root = readJson(body);
        List<JsonNode> items = new ArrayList<>();
        boolean batch = root.isArray();
        if (batch) {
            root.forEach(items::add);
        } else {
            items.add(root);
        }
        List<Violation> violations = new ArrayList<>();
        List<GhostEvent> events = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String at = batch ? "/" + i : "";
            JsonNode item = items.get(i);
            if (!item.isObject()) {
                violations.add(new Violation(at, "must be an event object"));
                continue;
            }
            String id = textOf(item, "id");
            String type = textOf(item, "type");
            if (id.isBlank() || id.length() > 200) {
                violations.add(new Violation(at + "/id", "required, 1-200 characters"));
            }
            if (type.isBlank()) {
                violations.add(new Violation(at + "/type", "required, e.g. log.error or metric.sample"));
            }
            Instant time = Instant.now();
            if (item.hasNonNull("time")) {
                try {
                    time = Instant.parse(item.get("time").asString());
                } catch (DateTimeParseException e) {
                    violations.add(new Violation(at + "/time", "must be an ISO-8601 instant"));
                }
            }
            JsonNode data = item.get("data");
            if (data != null && !data.isNull() && !data.isObject()) {
                violations.add(new Violation(at + "/data", "must be an object"));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> map = data == null || !data.isObject() ? Map.of() : json.treeToValue(data, Map.class);
            events.add(new GhostEvent(id, type, textOf(item, "source"), time, map));
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        List<GhostEvent> fresh = new ArrayList<>();
        for (GhostEvent event : events) {
            Boolean first = redis.opsForValue().setIfAbsent(MlKeys.SEEN_EVENT_PREFIX + event.id(), "1", dedupTtl);
            if (Boolean.TRUE.equals(first)) {
                fresh.add(event);
            }
        }
        tellListeners(fresh);
        fresh.forEach(router::route);
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(new EventsAccepted(fresh.size(), events.size() - fresh.size()));
    }

    /**
     * Alerting records health and patch events before they are acknowledged; when it cannot, the
     * events are forgotten as seen and refused with 503, so the sender delivers them again.
     */
    private void tellListeners(List<GhostEvent> fresh) {
        if (fresh.isEmpty()) {
            return;
        }
        try {
            listeners.forEach(listener -> listener.onEvents(fresh));
        } catch (RuntimeException e) {
            redis.delete(fresh.stream().map(event -> MlKeys.SEEN_EVENT_PREFIX + event.id()).toList());
            throw new GhostProblemException(HttpStatus.SERVICE_UNAVAILABLE, "events-not-recorded", "Events not recorded",
                    "Alerting could not record these events now; nothing was kept. Send them again shortly.")
                    .header("Retry-After", "5");
        }
    }

    /**
     * Plain text (one message per line) or NDJSON (objects with {@code message}, optional
     * {@code source}, {@code level}, {@code time}); {@code source} as a query parameter names the
     * system and is the default for NDJSON lines.
     */
    @PostMapping(path = "/logs", consumes = {"text/plain", "application/x-ndjson", "application/json"})
    @PreAuthorize("hasRole('SUBMIT')")
    public ResponseEntity<LogsAccepted> logs(@RequestParam(required = false) String source,
            @RequestHeader(value = "Content-Type", defaultValue = "text/plain") String contentType, @RequestBody byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        boolean ndjson = !contentType.startsWith("text/plain");
        List<Violation> violations = new ArrayList<>();
        List<String[]> lines = new ArrayList<>();
        String[] raw = text.split("\r?\n");
        for (int i = 0; i < raw.length; i++) {
            String line = raw[i];
            if (line.isBlank()) {
                continue;
            }
            String at = "/lines/" + (i + 1);
            if (line.length() > MAX_LINE) {
                violations.add(new Violation(at, "longer than " + MAX_LINE + " characters"));
                continue;
            }
            if (!ndjson) {
                lines.add(new String[] {source, "INFO", line, null});
                continue;
            }
            try {
                JsonNode node = json.readTree(line);
                String message = node.isObject() ? textOf(node, "message") : "";
                String lineSource = node.isObject() && node.hasNonNull("source") ? textOf(node, "source") : source;
                if (message.isBlank()) {
                    violations.add(new Violation(at + "/message", "required"));
                } else if (lineSource == null || lineSource.isBlank()) {
                    violations.add(new Violation(at + "/source", "required (or the 'source' query parameter)"));
                } else {
                    lines.add(new String[] {lineSource, textOf(node, "level"), message, textOf(node, "time")});
                }
            } catch (JacksonException e) {
                violations.add(new Violation(at, "not a JSON object"));
            }
        }
        if (!ndjson && (source == null || source.isBlank())) {
            violations.add(0, new Violation("/source", "the 'source' query parameter is required for plain lines"));
        }
        if (lines.isEmpty() && violations.isEmpty()) {
            violations.add(new Violation("", "no log lines in the body"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        Map<String, Integer> newTemplates = new LinkedHashMap<>();
        for (String[] line : lines) {
            Instant time = parseTime(line[3]);
            String level = line[1] == null || line[1].isBlank() ? "INFO" : line[1].toUpperCase(java.util.Locale.ROOT);
            if (router.log(line[0], level, line[2], time).created()) {
                newTemplates.merge(line[0], 1, Integer::sum);
            }
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new LogsAccepted(lines.size(), newTemplates));
    }

    private JsonNode readJson(String body) {
        try {
            return json.readTree(body);
        } catch (JacksonException e) {
            throw new InvalidRequestException(List.of(new Violation("", "not valid JSON")));
        }
    }

    private static String textOf(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "" : value.isString() ? value.stringValue() : value.toString();
    }

    private static Instant parseTime(String text) {
        if (text == null || text.isBlank()) {
            return Instant.now();
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return Instant.now();
        }
    }
}
