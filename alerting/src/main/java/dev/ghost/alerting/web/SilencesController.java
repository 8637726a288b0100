package dev.ghost.alerting.web;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import dev.ghost.common.problem.GhostProblemException;
import dev.ghost.common.problem.Violations;
import dev.ghost.common.security.Callers;
import dev.ghost.alerting.engine.AlertingLoop;
import dev.ghost.alerting.model.LabelMatcher;
import dev.ghost.alerting.model.Labels;
import dev.ghost.alerting.silences.Silence;
import dev.ghost.alerting.silences.SilenceStore;

/**
 * Silences (role ADMIN): {@code POST /silences} with matchers ({@code =}, {@code !=},
 * {@code =~}, {@code !~}), a comment, and an end ({@code endsAt} or {@code duration}, optional
 * {@code startsAt}); the creator is the caller. {@code DELETE} expires a silence at once.
 */
@RestController
@RequestMapping("/silences")
@PreAuthorize("hasRole('ADMIN')")
public class SilencesController {

    static final Duration MAX_DURATION = Duration.ofDays(90);
    static final int MAX_COMMENT = 1000;
    static final int MAX_MATCHERS = 32;

    private final SilenceStore silences;
    private final AlertingLoop loop;
    private final Clock clock;

    public SilencesController(SilenceStore silences, AlertingLoop loop) {
        this.silences = silences;
        this.loop = loop;
        this.clock = Clock.systemUTC();
    }

    @PostMapping
    public ResponseEntity<Map<String, Object>> create(@RequestBody JsonNode body) {
        Instant now = clock.instant();
        Violations violations = new Violations();
        if (!body.isObject()) {
            violations.add("", "the body must be a JSON object");
            violations.throwIfAny();
        }
        List<Silence.MatcherSpec> matchers = matchers(body.get("matchers"), violations);
        Instant startsAt = instant(body, "startsAt", violations);
        startsAt = startsAt == null ? now : startsAt;
        Instant endsAt = end(body, startsAt, now, violations);
        String comment = body.hasNonNull("comment") ? body.get("comment").asString("").strip() : "";
        if (comment.isEmpty()) {
            violations.add("/comment", "say why (the comment is shown to whoever wonders why alerts are quiet)");
        } else if (comment.length() > MAX_COMMENT) {
            violations.add("/comment", "at most " + MAX_COMMENT + " characters");
        }
        violations.throwIfAny();
        Silence silence = new Silence(UUID.randomUUID().toString(), matchers, startsAt, endsAt, Callers.current().getName(),
                comment, now, now);
        silences.save(silence);
        loop.wake();
        return ResponseEntity.created(URI.create("/silences/" + silence.id())).body(view(silence, now));
    }

    @GetMapping
    public Map<String, Object> list(@RequestParam(required = false) String state) {
        Instant now = clock.instant();
        if (state != null && List.of("active", "pending", "expired").stream().noneMatch(state::equalsIgnoreCase)) {
            Violations violations = new Violations();
            violations.add("state", "one of active, pending, expired");
            violations.throwIfAny();
        }
        List<Map<String, Object>> found = silences.all().stream()
                .filter(s -> state == null || s.state(now).json().equalsIgnoreCase(state))
                .map(s -> view(s, now)).toList();
        return Map.of("silences", found);
    }

    @GetMapping("/{id}")
    public Map<String, Object> get(@PathVariable String id) {
        return view(find(id), clock.instant());
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<Void> expire(@PathVariable String id) {
        Silence silence = find(id);
        Instant now = clock.instant();
        if (silence.state(now) != Silence.State.EXPIRED) {
            Instant start = silence.startsAt().isAfter(now) ? now : silence.startsAt();
            silences.save(new Silence(silence.id(), silence.matchers(), start, now, silence.createdBy(), silence.comment(),
                    silence.createdAt(), now));
            loop.wake();
        }
        return ResponseEntity.noContent().build();
    }

    private Silence find(String id) {
        return silences.find(id).orElseThrow(() -> new GhostProblemException(HttpStatus.NOT_FOUND, "silence-not-found",
                "No such silence", "There is no silence '" + id + "' (expired silences are kept for a day)."));
    }

    private static List<Silence.MatcherSpec> matchers(JsonNode node, Violations violations) {
        List<Silence.MatcherSpec> matchers = new ArrayList<>();
        if (node == null || !node.isArray() || node.isEmpty()) {
            violations.add("/matchers", "at least one matcher {\"name\", \"op\", \"value\"} is required");
            return matchers;
        }
        if (node.size() > MAX_MATCHERS) {
            violations.add("/matchers", "at most " + MAX_MATCHERS + " matchers");
            return matchers;
        }
        boolean selective = false;
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            String pointer = "/matchers/" + i;
            if (!item.isObject()) {
                violations.add(pointer, "a matcher is an object {\"name\", \"op\", \"value\"}");
                continue;
            }
            String name = item.hasNonNull("name") ? item.get("name").asString("") : "";
            String op = item.hasNonNull("op") ? item.get("op").asString("") : "=";
            JsonNode value = item.get("value");
            int before = violations.size();
            if (!Labels.NAME.matcher(name).matches()) {
                violations.add(pointer + "/name", "a label name like service or alertname ([a-zA-Z_][a-zA-Z0-9_]*)");
            }
            LabelMatcher.Op parsedOp = null;
            try {
                parsedOp = LabelMatcher.Op.of(op);
            } catch (IllegalArgumentException e) {
                violations.add(pointer + "/op", e.getMessage());
            }
            if (value == null || !value.isString()) {
                violations.add(pointer + "/value", "a string is required");
            }
            if (violations.size() > before) {
                continue;
            }
            try {
                LabelMatcher matcher = LabelMatcher.of(name, parsedOp, value.asString());
                selective |= !matcher.matches(Labels.of(Map.of()));
                matchers.add(new Silence.MatcherSpec(name, parsedOp.symbol(), value.asString()));
            } catch (IllegalArgumentException e) {
                violations.add(pointer + "/value", e.getMessage());
            }
        }
        if (!matchers.isEmpty() && matchers.size() == node.size() && !selective) {
            violations.add("/matchers", "these matchers also match an absent label, so they would silence every alert;"
                    + " name at least one label value");
        }
        return matchers;
    }

    private static Instant end(JsonNode body, Instant startsAt, Instant now, Violations violations) {
        boolean hasEnd = body.hasNonNull("endsAt");
        boolean hasDuration = body.hasNonNull("duration");
        if (hasEnd == hasDuration) {
            violations.add("/endsAt", "give either endsAt (an ISO-8601 instant) or duration (e.g. 2h, 30m)");
            return null;
        }
        Instant endsAt;
        if (hasDuration) {
            Duration duration;
            try {
                duration = DurationStyle.detectAndParse(body.get("duration").asString(""));
            } catch (IllegalArgumentException e) {
                violations.add("/duration", "a duration like 2h, 30m or PT90M");
                return null;
            }
            if (duration.isNegative() || duration.isZero()) {
                violations.add("/duration", "must be more than zero");
                return null;
            }
            endsAt = startsAt.plus(duration);
        } else {
            endsAt = instant(body, "endsAt", violations);
            if (endsAt == null) {
                return null;
            }
        }
        if (!endsAt.isAfter(startsAt)) {
            violations.add(hasDuration ? "/duration" : "/endsAt", "must end after it starts");
        } else if (!endsAt.isAfter(now)) {
            violations.add("/endsAt", "is in the past");
        } else if (Duration.between(startsAt, endsAt).compareTo(MAX_DURATION) > 0) {
            violations.add(hasDuration ? "/duration" : "/endsAt", "at most " + MAX_DURATION.toDays() + " days");
        }
        return endsAt;
    }

    private static Instant instant(JsonNode body, String field, Violations violations) {
        if (!body.hasNonNull(field)) {
            return null;
        }
        try {
            return Instant.parse(body.get(field).asString(""));
        } catch (DateTimeParseException e) {
            violations.add("/" + field, "an ISO-8601 instant such as 2026-11-28T18:00:00Z");
            return null;
        }
    }

    static Map<String, Object> view(Silence silence, Instant now) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", silence.id());
        view.put("state", silence.state(now).json());
        view.put("matchers", silence.matchers());
        view.put("startsAt", silence.startsAt());
        view.put("endsAt", silence.endsAt());
        view.put("createdBy", silence.createdBy());
        view.put("comment", silence.comment());
        view.put("createdAt", silence.createdAt());
        view.put("updatedAt", silence.updatedAt());
        return view;
    }
}
