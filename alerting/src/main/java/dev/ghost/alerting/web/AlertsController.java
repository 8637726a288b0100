package dev.ghost.alerting.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
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

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.ghost.alerting.Link;
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
import dev.ghost.alerting.routing.Dispatcher;
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

    /** Why an alert is not notified, if it is not. */
    public record AlertStatusView(boolean muted, List<String> silencedBy, List<String> inhibitedBy) {
    }

    /** An alert as GET /alerts shows it. */
    public record AlertView(String fingerprint, String alertname, String state, String severity, String summary,
            Map<String, String> labels, Map<String, String> annotations, List<Link> links, Instant activeAt, Instant startsAt,
            Instant endsAt, Instant updatedAt, int count, boolean flapping, int flips, AlertStatusView status) {
    }

    /** @param at when the alerting loop made this picture */
    public record AlertList(List<AlertView> alerts, Instant at) {
    }

    public record HistoryList(List<AlertRepository.HistoryEntry> history) {
    }

    /** The outcome of a test message: delivered (200), still being retried (202). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TestDelivery(String id, String receiver, String channel, String mode, String status, int attempts,
            String lastError) {
    }

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
    public AlertList alerts(@RequestParam(required = false) String state,
            @RequestParam(required = false) List<String> filter, @RequestParam(required = false) Boolean muted) {
        Violations violations = new Violations();
        if (state != null && List.of("pending", "firing", "resolved").stream().noneMatch(state::equalsIgnoreCase)) {
            violations.add("state", "one of pending, firing, resolved");
        }
        Matchers matchers = matchers(filter, violations);
        violations.throwIfAny();
        AlertingLoop.Snapshot snapshot = loop.snapshot();
        List<AlertView> alerts = snapshot.alerts().stream()
                .filter(v -> state == null || v.alert().state().json().equalsIgnoreCase(state))
                .filter(v -> matchers.matches(v.alert().labelSet()))
                .filter(v -> muted == null || muted == (v.muted() != null))
                .sorted(Comparator.comparing((AlertingLoop.View v) -> v.alert().state().ordinal() == 1 ? 0 : 1)
                        .thenComparing(v -> v.alert().updatedAt(), Comparator.reverseOrder()))
                .map(AlertsController::view).toList();
        return new AlertList(alerts, snapshot.at());
    }

    @GetMapping("/history")
    @PreAuthorize("hasRole('READ')")
    public HistoryList history(@RequestParam(required = false) String since,
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
        return new HistoryList(entries);
    }

    @PostMapping("/test")
    @PreAuthorize("hasRole('ADMIN')")
    public ResponseEntity<TestDelivery> test(@RequestBody(required = false) JsonNode body) {
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
        TestDelivery answer = new TestDelivery(notification.id(), receiver, target.channel(), target.mode(), status.state(),
                status.attempts(), status.lastError());
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

    /** {@code filter} parameters in Alertmanager's matcher syntax ({@code service=runner-service}, {@code alertname=~"Instance.*"}). */
    static Matchers matchers(List<String> filters, Violations violations) {
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

    static AlertView view(AlertingLoop.View view) {
        AlertData alert = view.alert();
        Dispatcher.MuteInfo muted = view.muted();
        AlertStatusView status = new AlertStatusView(muted != null, muted == null ? List.of() : muted.silencedBy(),
                muted == null || muted.inhibitedBy() == null ? List.of() : List.of(muted.inhibitedBy()));
        return new AlertView(alert.fingerprint(), alert.alertname(), alert.state().json(), alert.severity(), alert.summary(),
                alert.labels(), alert.annotations(), alert.links(), alert.activeAt(), alert.startsAt(), alert.endsAt(),
                alert.updatedAt(), alert.count(), alert.flapping(), alert.flips(), status);
    }
}
