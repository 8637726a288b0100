package dev.ghost.alerting.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import dev.ghost.alerting.config.Receivers;
import dev.ghost.alerting.engine.AlertRepository;
import dev.ghost.alerting.engine.AlertingLoop;
import dev.ghost.alerting.model.AlertData;
import dev.ghost.alerting.model.LabelMatcher;
import dev.ghost.alerting.model.Labels;
import dev.ghost.alerting.model.Matchers;
import dev.ghost.alerting.notify.Notification;
import dev.ghost.alerting.notify.Receiver;
import dev.ghost.alerting.outbox.DeliveryStatus;
import dev.ghost.alerting.outbox.NotificationOutbox;
import dev.ghost.alerting.outbox.OutboxWorkers;
import dev.ghost.alerting.routing.Route;
import dev.ghost.common.problem.GhostProblemException;
import dev.ghost.common.problem.Violations;
import dev.ghost.common.security.Callers;

/**
 * {@code GET /alerts} (firing, pending and recently resolved, each with why it is muted if it
 * is), {@code GET /alerts/history} (transitions, newest first), and {@code POST /alerts/test}
 * (ADMIN) which sends a test message through the outbox and says whether the receiver's channel took it.
 */
@RestController
@RequestMapping("/alerts")
public class AlertsController {

    static final int MAX_HISTORY = 1000;
    static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private final AlertingLoop loop;
    private final AlertRepository repository;
    private final NotificationOutbox outbox;
    private final OutboxWorkers workers;
    private final Receivers receivers;
    private final String defaultReceiver;
    private final Clock clock;

    public AlertsController(AlertingLoop loop, AlertRepository repository, NotificationOutbox outbox, OutboxWorkers workers,
            Receivers receivers, Route alertingRoutes) {
        this.loop = loop;
        this.repository = repository;
        this.outbox = outbox;
        this.workers = workers;
        this.receivers = receivers;
        this.defaultReceiver = alertingRoutes.receiver();
        this.clock = Clock.systemUTC();
    }

    @GetMapping
    @PreAuthorize("hasRole('READ')")
    public Map<String, Object> alerts(@RequestParam(required = false) String state,
            @RequestParam(required = false) List<String> filter, @RequestParam(required = false) Boolean muted) {
        Violations violations = new Violations();
        if (state != null && List.of("pending", "firing", "resolved").stream().noneMatch(state::equalsIgnoreCase)) {
            violations.add("state", "one of pending, firing, resolved");
        }
        Matchers matchers = matchers(filter, violations);
        violations.throwIfAny();
        AlertingLoop.Snapshot snapshot = loop.snapshot();
        List<Map<String, Object>> alerts = snapshot.alerts().stream()
                .filter(v -> state == null || v.alert().state().json().equalsIgnoreCase(state))
                .filter(v -> matchers.matches(v.alert().labelSet()))
                .filter(v -> muted == null || muted == (v.muted() != null))
                .sorted(Comparator.comparing((AlertingLoop.View v) -> v.alert().state().ordinal() == 1 ? 0 : 1)
                        .thenComparing(v -> v.alert().updatedAt(), Comparator.reverseOrder()))
                .map(AlertsController::view).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("alerts", alerts);
        body.put("at", snapshot.at());
        return body;
    }

    @GetMapping("/history")
    @PreAuthorize("hasRole('READ')")
    public Map<String, Object> history(@RequestParam(required = false) String since,
            @RequestParam(defaultValue = "100") int limit, @RequestParam(required = false) List<String> filter,
            @RequestParam(required = false) String fingerprint) {
        Violations violations = new Violations();
        Instant from = null;
        if (since != null) {
            try {
                from = Instant.parse(since);
            } catch (DateTimeParseException e) {
                violations.add("since", "an ISO-8601 instant such as 2026-11-28T18:00:00Z");
            }
        }
        if (limit < 1 || limit > MAX_HISTORY) {
            violations.add("limit", "between 1 and " + MAX_HISTORY);
        }
        Matchers matchers = matchers(filter, violations);
        violations.throwIfAny();
        List<AlertRepository.HistoryEntry> entries = repository.history(from, limit,
                entry -> (fingerprint == null || fingerprint.equals(entry.fingerprint()))
                        && matchers.matches(Labels.of(entry.labels())));
        return Map.of("history", entries);
    }

    @PostMapping("/test")
    @PreAuthorize("hasRole('ADMIN')")
    public ResponseEntity<Map<String, Object>> test(@RequestBody(required = false) JsonNode body) {
        Violations violations = new Violations();
        if (body != null && !body.isObject()) {
            violations.add("", "the body, when given, must be a JSON object such as {\"receiver\": \"oncall\"}");
            violations.throwIfAny();
        }
        String receiver = body != null && body.hasNonNull("receiver") ? body.get("receiver").asString("") : defaultReceiver;
        Receiver target = receivers.get(receiver);
        if (target == null) {
            violations.add("/receiver", "unknown receiver; configured: " + String.join(", ", receivers.names()));
        }
        Duration wait = Duration.ofSeconds(10);
        if (body != null && body.hasNonNull("waitSeconds")) {
            JsonNode value = body.get("waitSeconds");
            if (!value.isNumber() || value.asInt() < 0 || value.asInt() > MAX_WAIT.toSeconds()) {
                violations.add("/waitSeconds", "a number of seconds from 0 to " + MAX_WAIT.toSeconds());
            } else {
                wait = Duration.ofSeconds(value.asInt());
            }
        }
        violations.throwIfAny();
        if (!target.delivers()) {
            throw new GhostProblemException(HttpStatus.CONFLICT, "receiver-not-configured", "The receiver has no channel",
                    "Receiver '" + receiver + "' has no channel: neither a webhook URL, a PagerDuty routing key, a Slack incoming"
                            + " webhook nor a bot token and channel. Set SLACK_WEBHOOK_URL (or SLACK_BOT_TOKEN and SLACK_CHANNEL) and restart.");
        }
        Notification notification = Notification.test("test-" + UUID.randomUUID(), receiver, Callers.current().getName(),
                clock.instant());
        outbox.enqueue(notification);
        workers.wake(receiver);
        DeliveryStatus status = await(notification.id(), wait);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", notification.id());
        answer.put("receiver", receiver);
        answer.put("channel", target.channel());
        answer.put("mode", target.mode());
        answer.put("status", status.state());
        answer.put("attempts", status.attempts());
        if (status.lastError() != null) {
            answer.put("lastError", status.lastError());
        }
        if ("dead".equals(status.state())) {
            throw new GhostProblemException(HttpStatus.BAD_GATEWAY, "channel-refused", "The receiver refused the test message",
                    "The " + target.channel() + " channel refused it for good: " + status.lastError()).with("id", notification.id()).with("receiver", receiver);
        }
        return ResponseEntity.status(status.delivered() ? HttpStatus.OK : HttpStatus.ACCEPTED).body(answer);
    }

    private DeliveryStatus await(String id, Duration wait) {
        Instant deadline = clock.instant().plus(wait);
        while (true) {
            Optional<DeliveryStatus> status = outbox.status(id);
            if (status.isPresent() && (status.get().finished() || !clock.instant().isBefore(deadline))) {
                return status.get();
            }
            if (!clock.instant().isBefore(deadline)) {
                throw new IllegalStateException("test notification " + id + " has no status");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return status.orElseThrow();
            }
        }
    }

    private static Matchers matchers(List<String> filters, Violations violations) {
        List<LabelMatcher> parsed = new ArrayList<>();
        if (filters != null) {
            for (int i = 0; i < filters.size(); i++) {
                try {
                    parsed.add(LabelMatcher.parse(filters.get(i)));
                } catch (IllegalArgumentException e) {
                    violations.add("filter[" + i + "]", e.getMessage());
                }
            }
        }
        return new Matchers(parsed);
    }

    static Map<String, Object> view(AlertingLoop.View view) {
        AlertData alert = view.alert();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("fingerprint", alert.fingerprint());
        out.put("alertname", alert.alertname());
        out.put("state", alert.state().json());
        out.put("severity", alert.severity());
        out.put("summary", alert.summary());
        out.put("labels", alert.labels());
        out.put("annotations", alert.annotations());
        out.put("links", alert.links());
        out.put("activeAt", alert.activeAt());
        out.put("startsAt", alert.startsAt());
        out.put("endsAt", alert.endsAt());
        out.put("updatedAt", alert.updatedAt());
        out.put("count", alert.count());
        out.put("flapping", alert.flapping());
        out.put("flips", alert.flips());
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("muted", view.muted() != null);
        status.put("silencedBy", view.muted() == null ? List.of() : view.muted().silencedBy());
        status.put("inhibitedBy", view.muted() == null || view.muted().inhibitedBy() == null ? List.of()
                : List.of(view.muted().inhibitedBy()));
        out.put("status", status);
        return out;
    }
}
