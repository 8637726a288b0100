package dev.ghost.relay.event;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.common.patch.Violation;
import dev.ghost.common.problem.GhostProblemException;
import dev.ghost.common.problem.InvalidRequestException;

/** The hub's API: events in from services, delivery figures and dead letters for operators. */
@RestController
@RequestMapping("/events")
public class EventsController {

    /** @param routed per subscriber, how many of the events it will receive */
    public record Accepted(int accepted, Map<String, Integer> routed) {
    }

    /**
     * An event parked after its deliveries failed.
     *
     * @param event     the event as it was accepted
     * @param redeliver where to POST to deliver it again
     */
    public record DeadLetter(String subscriber, String deadLetterId, Instant deadAt, int attempts, String error, JsonNode event,
            String redeliver) {
    }

    /** @param outboxIds the events' new entries in the subscriber's outbox */
    public record Redelivered(String subscriber, int redelivered, List<String> outboxIds) {
    }

    private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9_.\\-]{0,127}");
    private static final Pattern ENTRY_ID = Pattern.compile("\\d{1,20}-\\d{1,20}");
    private static final int MAX_ID = 128;
    private static final int MAX_SOURCE = 256;

    private final EventHub hub;
    private final Outbox outbox;
    private final JsonMapper json;
    private final int maxBatch;

    public EventsController(EventHub hub, Outbox outbox, JsonMapper json, EventsProperties properties) {
        this.hub = hub;
        this.outbox = outbox;
        this.json = json;
        this.maxBatch = properties.events().maxBatch();
    }

    /** One event (an object) or a batch (an array); all are validated before any is stored. */
    @PostMapping
    @PreAuthorize("hasRole('SERVICE')")
    public ResponseEntity<Accepted> accept(@RequestBody(required = false) byte[] body) {
        JsonNode root;
        try {
            root = body == null || body.length == 0 ? null : json.readTree(body);
        } catch (JacksonException e) {
            throw new InvalidRequestException(List.of(new Violation("", "the body is not JSON: " + e.getOriginalMessage())));
        }
        if (root == null || !(root.isObject() || root.isArray())) {
            throw new InvalidRequestException(List.of(new Violation("", "send one event (a JSON object) or a batch (a JSON array of events)")));
        }
        List<JsonNode> nodes = new ArrayList<>();
        root.forEach(nodes::add);
        if (root.isObject()) {
            nodes = List.of(root);
        }
        List<Violation> violations = new ArrayList<>();
        if (nodes.isEmpty()) {
            violations.add(new Violation("", "the batch holds no event"));
        }
        if (nodes.size() > maxBatch) {
            violations.add(new Violation("", "at most " + maxBatch + " events per request, not " + nodes.size()));
        }
        List<EventHub.Accepted> events = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size() && violations.size() < 100; i++) {
            String pointer = root.isArray() ? "/" + i : "";
            EventHub.Accepted event = validate(nodes.get(i), pointer, violations);
            if (event != null) {
                events.add(event);
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException(violations);
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new Accepted(events.size(), hub.accept(events)));
    }

    private EventHub.Accepted validate(JsonNode node, String pointer, List<Violation> violations) {
        if (!node.isObject()) {
            violations.add(new Violation(pointer, "an event is a JSON object"));
            return null;
        }
        int before = violations.size();
        String id = text(node, "id", pointer, MAX_ID, violations);
        String type = text(node, "type", pointer, MAX_ID, violations);
        text(node, "source", pointer, MAX_SOURCE, violations);
        String time = text(node, "time", pointer, 64, violations);
        if (type != null && !TYPE.matcher(type).matches()) {
            violations.add(new Violation(pointer + "/type", "a dotted lower-case name such as patch.succeeded"));
        }
        if (time != null) {
            try {
                Instant.parse(time);
            } catch (DateTimeParseException e) {
                violations.add(new Violation(pointer + "/time", "an ISO-8601 instant such as 2026-01-31T12:00:00Z"));
            }
        }
        JsonNode data = node.get("data");
        if (data != null && !data.isNull() && !data.isObject()) {
            violations.add(new Violation(pointer + "/data", "an object"));
        }
        if (violations.size() > before) {
            return null;
        }
        JsonNode about = type.startsWith("relay.") && data != null ? data.get("subscriber") : null;
        return new EventHub.Accepted(id, type, about == null || !about.isString() ? null : about.stringValue(),
                json.writeValueAsString(node));
    }

    private static String text(JsonNode node, String field, String pointer, int max, List<Violation> violations) {
        JsonNode value = node.get(field);
        if (value == null || !value.isString() || value.stringValue().isBlank()) {
            violations.add(new Violation(pointer + "/" + field, "required, a non-empty string"));
            return null;
        }
        if (value.stringValue().length() > max) {
            violations.add(new Violation(pointer + "/" + field, "at most " + max + " characters"));
            return null;
        }
        return value.stringValue();
    }

    @GetMapping("/stats")
    @PreAuthorize("hasRole('READ')")
    public List<EventHub.SubscriberStats> stats() {
        return hub.stats();
    }

    /** Parked events, newest first, of one subscriber or all. */
    @GetMapping("/dead-letters")
    @PreAuthorize("hasRole('ADMIN')")
    public List<DeadLetter> deadLetters(@RequestParam(required = false) String subscriber,
            @RequestParam(defaultValue = "50") int limit) {
        if (limit < 1 || limit > 1000) {
            throw new GhostProblemException(HttpStatus.BAD_REQUEST, "invalid-limit", "Invalid limit", "limit must be from 1 to 1000.");
        }
        List<String> names = subscriber == null ? List.copyOf(hub.subscribers().keySet()) : List.of(known(subscriber));
        List<DeadLetter> letters = new ArrayList<>();
        for (String name : names) {
            for (MapRecord<String, Object, Object> record : outbox.deadLetters(name, limit)) {
                Map<Object, Object> fields = record.getValue();
                String id = record.getId().getValue();
                letters.add(new DeadLetter(name, id, Instant.ofEpochMilli(record.getId().getTimestamp()),
                        Integer.parseInt(String.valueOf(fields.get("attempts"))), (String) fields.get("error"),
                        json.readTree(String.valueOf(fields.get("event"))), "/events/dead-letters/" + name + "/" + id + "/redeliver"));
            }
        }
        return letters;
    }

    @PostMapping("/dead-letters/{subscriber}/{deadLetterId}/redeliver")
    @PreAuthorize("hasRole('ADMIN')")
    public ResponseEntity<Redelivered> redeliver(@PathVariable String subscriber, @PathVariable String deadLetterId) {
        String name = known(subscriber);
        if (!ENTRY_ID.matcher(deadLetterId).matches()) {
            throw noDeadLetter(name, deadLetterId);
        }
        String outboxId = outbox.resurrect(name, deadLetterId).orElseThrow(() -> noDeadLetter(name, deadLetterId));
        hub.wake(name);
        return ResponseEntity.accepted().body(new Redelivered(name, 1, List.of(outboxId)));
    }

    /** Every parked event of a subscriber (up to {@code limit}), oldest first. */
    @PostMapping("/dead-letters/{subscriber}/redeliver")
    @PreAuthorize("hasRole('ADMIN')")
    public ResponseEntity<Redelivered> redeliverAll(@PathVariable String subscriber,
            @RequestParam(defaultValue = "1000") int limit) {
        String name = known(subscriber);
        List<MapRecord<String, Object, Object>> letters = new ArrayList<>(outbox.deadLetters(name, Math.max(1, Math.min(limit, 10_000))));
        Collections.reverse(letters);
        List<String> outboxIds = new ArrayList<>();
        for (MapRecord<String, Object, Object> letter : letters) {
            outbox.resurrect(name, letter.getId().getValue()).ifPresent(outboxIds::add);
        }
        hub.wake(name);
        return ResponseEntity.accepted().body(new Redelivered(name, outboxIds.size(), outboxIds));
    }

    private String known(String subscriber) {
        if (!hub.subscribers().containsKey(subscriber)) {
            throw new GhostProblemException(HttpStatus.NOT_FOUND, "unknown-subscriber", "Unknown subscriber",
                    "'" + subscriber + "' is not a configured subscriber; known: " + hub.subscribers().keySet() + ".")
                    .with("subscribers", List.copyOf(hub.subscribers().keySet()));
        }
        return subscriber;
    }

    private static GhostProblemException noDeadLetter(String subscriber, String id) {
        return new GhostProblemException(HttpStatus.NOT_FOUND, "dead-letter-not-found", "No such dead letter",
                "Subscriber " + subscriber + " has no dead letter '" + id + "' (already redelivered, or trimmed).");
    }
}
