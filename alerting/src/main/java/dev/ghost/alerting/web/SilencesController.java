package dev.ghost.alerting.web;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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

import dev.ghost.alerting.engine.AlertingLoop;
import dev.ghost.alerting.model.LabelMatcher;
import dev.ghost.alerting.silences.Silence;
import dev.ghost.alerting.silences.SilenceStore;
import dev.ghost.common.problem.GhostProblemException;
import dev.ghost.common.problem.Violations;
import dev.ghost.common.security.Callers;

/**
 * Silences: {@code POST /silences} (ADMIN) with matchers ({@code =}, {@code !=}, {@code =~},
 * {@code !~}), a comment, and an end ({@code endsAt} or {@code duration}, optional
 * {@code startsAt}); the creator is the caller. {@code DELETE} (ADMIN) expires a silence at once.
 * Reading them needs READ. The same store answers Alertmanager's API ({@link AlertmanagerApiController}).
 */
@RestController
@RequestMapping("/silences")
public class SilencesController {

    /** A silence as this API shows it. */
    public record SilenceView(String id, String state, List<Silence.MatcherSpec> matchers, Instant startsAt, Instant endsAt,
            String createdBy, String comment, Instant createdAt, Instant updatedAt) {

        static SilenceView of(Silence silence, Instant now) {
            return new SilenceView(silence.id(), silence.state(now).json(), silence.matchers(), silence.startsAt(),
                    silence.endsAt(), silence.createdBy(), silence.comment(), silence.createdAt(), silence.updatedAt());
        }
    }

    public record SilenceList(List<SilenceView> silences) {
    }

    private final SilenceStore silences;
    private final AlertingLoop loop;
    private final Clock clock;

    public SilencesController(SilenceStore silences, AlertingLoop loop) {
        this.silences = silences;
        this.loop = loop;
        this.clock = Clock.systemUTC();
    }

    @PostMapping
    @PreAuthorize("hasRole('ADMIN')")
    public ResponseEntity<SilenceView> create(@RequestBody JsonNode body) {
        Instant now = clock.instant();
        Violations violations = new Violations();
        if (!body.isObject()) {
            violations.add("", "the body must be a JSON object");
            violations.throwIfAny();
        }
        List<Silence.MatcherSpec> matchers = matchers(body.get("matchers"), violations);
        Instant startsAt = SilenceRequests.instant(body, "startsAt", "/startsAt", violations);
        startsAt = startsAt == null ? now : startsAt;
        Instant endsAt = end(body, startsAt, now, violations);
        String comment = SilenceRequests.comment(body, violations);
        violations.throwIfAny();
        Silence silence = new Silence(UUID.randomUUID().toString(), matchers, startsAt, endsAt, Callers.current().getName(),
                comment, now, now);
        silences.save(silence);
        loop.wake();
        return ResponseEntity.created(URI.create("/silences/" + silence.id())).body(SilenceView.of(silence, now));
    }

    @GetMapping
    @PreAuthorize("hasRole('READ')")
    public SilenceList list(@RequestParam(required = false) String state) {
        Instant now = clock.instant();
        if (state != null && List.of("active", "pending", "expired").stream().noneMatch(state::equalsIgnoreCase)) {
            new Violations().add("state", "one of active, pending, expired").throwIfAny();
        }
        return new SilenceList(silences.all().stream()
                .filter(s -> state == null || s.state(now).json().equalsIgnoreCase(state))
                .map(s -> SilenceView.of(s, now)).toList());
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasRole('READ')")
    public SilenceView get(@PathVariable String id) {
        return SilenceView.of(silences.find(id).orElseThrow(() -> notFound(id)), clock.instant());
    }

    @DeleteMapping("/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    public ResponseEntity<Void> expire(@PathVariable String id) {
        silences.expire(id).orElseThrow(() -> notFound(id));
        loop.wake();
        return ResponseEntity.noContent().build();
    }

    static GhostProblemException notFound(String id) {
        return new GhostProblemException(HttpStatus.NOT_FOUND, "silence-not-found", "No such silence",
                "There is no silence '" + id + "' (expired silences are kept for a day).");
    }

    private static List<Silence.MatcherSpec> matchers(JsonNode node, Violations violations) {
        return SilenceRequests.matchers(node, "{\"name\", \"op\", \"value\"}", SilencesController::operator, true, violations);
    }

    /** {@code op}: =, !=, =~ or !~ (= when absent). */
    private static LabelMatcher.Op operator(JsonNode matcher, String pointer, Violations violations) {
        try {
            return LabelMatcher.Op.of(matcher.hasNonNull("op") ? matcher.get("op").asString("") : "=");
        } catch (IllegalArgumentException e) {
            violations.add(pointer + "/op", e.getMessage());
            return null;
        }
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
            endsAt = SilenceRequests.instant(body, "endsAt", "/endsAt", violations);
        }
        SilenceRequests.period(startsAt, endsAt, now, hasDuration ? "/duration" : "/endsAt", violations);
        return endsAt;
    }
}
