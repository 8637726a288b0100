package dev.ghost.alerting.web;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.info.GitProperties;
import org.springframework.http.HttpStatus;
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

import dev.ghost.alerting.config.AlertingProperties;
import dev.ghost.alerting.engine.AlertingLoop;
import dev.ghost.alerting.engine.PushedAlert;
import dev.ghost.alerting.model.AlertData;
import dev.ghost.alerting.model.AlertState;
import dev.ghost.alerting.model.LabelMatcher;
import dev.ghost.alerting.model.Labels;
import dev.ghost.alerting.model.Matchers;
import dev.ghost.alerting.routing.Dispatcher;
import dev.ghost.alerting.routing.Route;
import dev.ghost.alerting.silences.Silence;
import dev.ghost.alerting.silences.SilenceStore;
import dev.ghost.common.problem.GhostProblemException;
import dev.ghost.common.problem.Violations;
import dev.ghost.common.security.Callers;

/**
 * Alertmanager's API v2, where tools already speak it, mapped onto GHOST's own engine: Prometheus
 * names GHOST as its Alertmanager ({@code POST /api/v2/alerts}), and {@code amtool} or Grafana read
 * alerts and read and set silences — GHOST's silences, one store for both APIs. Shapes follow
 * Alertmanager 0.25's OpenAPI description; only the calls those tools make are served. Errors are
 * GHOST's problem details listing every violation.
 */
@RestController
@RequestMapping("/api/v2")
@Tag(name = "alertmanager", description = "Alertmanager API v2: Prometheus pushes alerts, amtool and Grafana read alerts and manage silences")
public class AlertmanagerApiController {

    /** How long a push waits for the alerting loop to store it before refusing it (Prometheus then sends it again). */
    static final Duration PUSH_TIMEOUT = Duration.ofSeconds(5);
    static final int MAX_ALERTS_PER_PUSH = 1000;

    public record Receiver(String name) {
    }

    /** {@code state}: unprocessed (GHOST: pending, waiting out its rule's {@code for}), active, suppressed (silenced or inhibited). */
    public record AlertStatus(String state, List<String> silencedBy, List<String> inhibitedBy) {
    }

    /** Alertmanager's gettableAlert. */
    public record GettableAlert(Map<String, String> labels, Map<String, String> annotations, Instant startsAt, Instant endsAt,
            Instant updatedAt, String fingerprint, List<Receiver> receivers, AlertStatus status, String generatorURL) {
    }

    public record Matcher(String name, String value, boolean isRegex, boolean isEqual) {
    }

    public record SilenceStatus(String state) {
    }

    /** Alertmanager's gettableSilence. */
    public record GettableSilence(String id, SilenceStatus status, Instant updatedAt, List<Matcher> matchers, Instant startsAt,
            Instant endsAt, String createdBy, String comment) {
    }

    public record SilenceCreated(String silenceID) {
    }

    public record ClusterStatus(String name, String status, List<Object> peers) {
    }

    public record VersionInfo(String version, String revision, String branch, String buildUser, String buildDate,
            String goVersion) {
    }

    public record Config(String original) {
    }

    /** Alertmanager's alertmanagerStatus; {@code uptime} is, as there, when this instance started. */
    public record Status(ClusterStatus cluster, VersionInfo versionInfo, Config config, Instant uptime) {
    }

    private final AlertingLoop loop;
    private final SilenceStore silences;
    private final Route routes;
    private final Duration resolveTimeout;
    private final ObjectProvider<BuildProperties> build;
    private final ObjectProvider<GitProperties> git;
    private final Clock clock = Clock.systemUTC();

    public AlertmanagerApiController(AlertingLoop loop, SilenceStore silences, Route alertingRoutes, AlertingProperties properties,
            ObjectProvider<BuildProperties> build, ObjectProvider<GitProperties> git) {
        this.loop = loop;
        this.silences = silences;
        this.routes = alertingRoutes;
        this.resolveTimeout = properties.resolveTimeout();
        this.build = build;
        this.git = git;
    }

    // ---- status

    @GetMapping("/status")
    @PreAuthorize("hasRole('READ')")
    @Operation(summary = "What amtool checks first: version, no cluster")
    public Status status() {
        BuildProperties buildInfo = build.getIfAvailable();
        GitProperties gitInfo = git.getIfAvailable();
        return new Status(new ClusterStatus("ghost", "disabled", List.of()),
                new VersionInfo(buildInfo != null ? buildInfo.getVersion() : "unknown",
                        gitInfo != null ? gitInfo.getCommitId() : "", gitInfo != null ? gitInfo.getBranch() : "", "",
                        buildInfo != null && buildInfo.getTime() != null ? buildInfo.getTime().toString() : "",
                        "java" + System.getProperty("java.version")),
                new Config("# GHOST alerting: rules, routes, inhibitions and receivers are ghost.alerting.* (see alerting/README.md)"),
                Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()));
    }

    // ---- alerts

    @PostMapping("/alerts")
    @PreAuthorize("hasAnyRole('SUBMIT', 'SERVICE')")
    @Operation(summary = "Alerts in Prometheus' push format; an endsAt in the past resolves")
    public void push(@RequestBody JsonNode body) {
        Violations violations = new Violations();
        if (!body.isArray()) {
            violations.add("", "a JSON array of alerts [{\"labels\", \"annotations\", \"startsAt\", \"endsAt\", \"generatorURL\"}]");
            violations.throwIfAny();
        }
        if (body.size() > MAX_ALERTS_PER_PUSH) {
            violations.add("", "at most " + MAX_ALERTS_PER_PUSH + " alerts per request");
            violations.throwIfAny();
        }
        List<PushedAlert> pushed = new ArrayList<>();
        for (int i = 0; i < body.size(); i++) {
            PushedAlert alert = pushedAlert(body.get(i), "/" + i, violations);
            if (alert != null) {
                pushed.add(alert);
            }
        }
        violations.throwIfAny();
        try {
            loop.push(pushed).get(PUSH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw notStored();
        } catch (ExecutionException | TimeoutException e) {
            throw notStored();
        }
    }

    private static GhostProblemException notStored() {
        return new GhostProblemException(HttpStatus.SERVICE_UNAVAILABLE, "alerts-not-recorded", "Alerts not recorded",
                "Alerting could not store these alerts now. Send them again shortly.").header("Retry-After", "5");
    }

    private static PushedAlert pushedAlert(JsonNode item, String pointer, Violations violations) {
        if (item == null || !item.isObject()) {
            violations.add(pointer, "an alert is an object {\"labels\", \"annotations\", \"startsAt\", \"endsAt\", \"generatorURL\"}");
            return null;
        }
        int before = violations.size();
        JsonNode labelNode = item.get("labels");
        Map<String, String> labels = strings(labelNode, pointer + "/labels", true, violations);
        if (labels != null && labelNode.isEmpty()) {
            violations.add(pointer + "/labels", "at least one label, alertname among them");
        } else if (labels != null && !labelNode.has("alertname")) {
            violations.add(pointer + "/labels/alertname", "required: the alert's name");
        }
        Map<String, String> annotations = item.hasNonNull("annotations")
                ? strings(item.get("annotations"), pointer + "/annotations", false, violations) : Map.of();
        Instant startsAt = SilenceRequests.instant(item, "startsAt", pointer + "/startsAt", violations);
        Instant endsAt = SilenceRequests.instant(item, "endsAt", pointer + "/endsAt", violations);
        if (startsAt != null && endsAt != null && endsAt.isBefore(startsAt)) {
            violations.add(pointer + "/endsAt", "must not be before startsAt");
        }
        JsonNode generator = item.get("generatorURL");
        if (generator != null && !generator.isNull() && !generator.isString()) {
            violations.add(pointer + "/generatorURL", "a URL string");
        }
        if (violations.size() > before) {
            return null;
        }
        return new PushedAlert(Labels.of(labels), annotations, startsAt, endsAt,
                generator == null || generator.isNull() ? null : generator.asString());
    }

    /** A JSON object of string values; with {@code labelNames}, every key must be a label name. Null when it is not one. */
    private static Map<String, String> strings(JsonNode node, String pointer, boolean labelNames, Violations violations) {
        if (node == null || !node.isObject()) {
            violations.add(pointer, "an object of names to string values");
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : node.propertyNames()) {
            JsonNode value = node.get(name);
            String where = pointer + "/" + name.replace("~", "~0").replace("/", "~1");
            if (labelNames && !Labels.NAME.matcher(name).matches()) {
                violations.add(where, "a label name ([a-zA-Z_][a-zA-Z0-9_]*)");
            } else if (!value.isString()) {
                violations.add(where, "a string");
            } else {
                values.put(name, value.asString());
            }
        }
        return values;
    }

    @GetMapping("/alerts")
    @PreAuthorize("hasRole('READ')")
    @Operation(summary = "Firing and pending alerts (resolved ones are not listed, as in Alertmanager)")
    public List<GettableAlert> alerts(@RequestParam(defaultValue = "true") boolean active,
            @RequestParam(defaultValue = "true") boolean silenced, @RequestParam(defaultValue = "true") boolean inhibited,
            @RequestParam(defaultValue = "true") boolean unprocessed, @RequestParam(required = false) List<String> filter,
            @RequestParam(required = false) String receiver) {
        Violations violations = new Violations();
        Matchers matchers = AlertsController.matchers(filter, violations);
        Pattern receivers = null;
        if (receiver != null) {
            try {
                receivers = Pattern.compile("^(?:" + receiver + ")$");
            } catch (PatternSyntaxException e) {
                violations.add("receiver", "a regular expression: " + e.getDescription());
            }
        }
        violations.throwIfAny();
        AlertingLoop.Snapshot snapshot = loop.snapshot();
        List<GettableAlert> found = new ArrayList<>();
        for (AlertingLoop.View view : snapshot.alerts()) {
            AlertData alert = view.alert();
            if (alert.state() == AlertState.RESOLVED || !matchers.matches(alert.labelSet())) {
                continue;
            }
            Dispatcher.MuteInfo muted = view.muted();
            boolean isSilenced = muted != null && !muted.silencedBy().isEmpty();
            boolean isInhibited = muted != null && muted.inhibitedBy() != null;
            String state = alert.state() == AlertState.PENDING ? "unprocessed" : isSilenced || isInhibited ? "suppressed" : "active";
            if ((!active && state.equals("active")) || (!unprocessed && state.equals("unprocessed"))
                    || (!silenced && isSilenced) || (!inhibited && isInhibited)) {
                continue;
            }
            List<Receiver> routed = receivers(alert.labelSet());
            Pattern wanted = receivers;
            if (wanted != null && routed.stream().noneMatch(r -> wanted.matcher(r.name()).matches())) {
                continue;
            }
            found.add(new GettableAlert(alert.labels(), alert.annotations(),
                    alert.startsAt() != null ? alert.startsAt() : alert.activeAt(),
                    alert.endsAt() != null ? alert.endsAt() : snapshot.at().plus(resolveTimeout), alert.updatedAt(),
                    alert.fingerprint(), routed,
                    new AlertStatus(state, isSilenced ? muted.silencedBy() : List.of(),
                            isInhibited ? List.of(muted.inhibitedBy()) : List.of()),
                    alert.links().isEmpty() ? null : alert.links().get(0).url()));
        }
        found.sort(Comparator.comparing(GettableAlert::startsAt).thenComparing(GettableAlert::fingerprint));
        return found;
    }

    private List<Receiver> receivers(Labels labels) {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        routes.match(labels).forEach(route -> names.add(route.receiver()));
        return names.stream().map(Receiver::new).toList();
    }

    // ---- silences

    @GetMapping("/silences")
    @PreAuthorize("hasRole('READ')")
    @Operation(summary = "Every silence (active, pending, expired within the retention)")
    public List<GettableSilence> silences(@RequestParam(required = false) List<String> filter) {
        Violations violations = new Violations();
        Matchers matchers = AlertsController.matchers(filter, violations);
        violations.throwIfAny();
        Instant now = clock.instant();
        return silences.all().stream()
                .filter(silence -> matchers.matches(matcherLabels(silence)))
                .sorted(Comparator.comparingInt((Silence s) -> order(s.state(now)))
                        .thenComparing(s -> s.state(now) == Silence.State.PENDING ? s.startsAt() : s.endsAt()))
                .map(silence -> gettable(silence, now)).toList();
    }

    /** Alertmanager's filter on silences: a silence's matchers read as labels (name → value). */
    private static Labels matcherLabels(Silence silence) {
        Map<String, String> labels = new LinkedHashMap<>();
        silence.matchers().forEach(m -> labels.put(m.name(), m.value()));
        return Labels.of(labels);
    }

    private static int order(Silence.State state) {
        return switch (state) {
            case ACTIVE -> 0;
            case PENDING -> 1;
            case EXPIRED -> 2;
        };
    }

    @GetMapping("/silence/{id}")
    @PreAuthorize("hasRole('READ')")
    public GettableSilence silence(@PathVariable String id) {
        return gettable(silences.find(id).orElseThrow(() -> SilencesController.notFound(id)), clock.instant());
    }

    @DeleteMapping("/silence/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Expires the silence now")
    public void expire(@PathVariable String id) {
        silences.expire(id).orElseThrow(() -> SilencesController.notFound(id));
        loop.wake();
    }

    /**
     * Creates a silence, or updates the one named by {@code id}: in place while it has not ended and
     * its matchers stay the same, else (as Alertmanager does) by expiring it and creating a new one.
     * The creator is recorded as the client says, with the GHOST credential that did it.
     */
    @PostMapping("/silences")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Creates (or updates, with id) a silence; answers its id")
    public SilenceCreated create(@RequestBody JsonNode body) {
        Violations violations = new Violations();
        if (!body.isObject()) {
            violations.add("", "a silence {\"matchers\", \"startsAt\", \"endsAt\", \"createdBy\", \"comment\"}");
            violations.throwIfAny();
        }
        Instant now = clock.instant();
        List<Silence.MatcherSpec> matchers = matchers(body.get("matchers"), violations);
        Instant startsAt = SilenceRequests.instant(body, "startsAt", "/startsAt", violations);
        Instant endsAt = SilenceRequests.instant(body, "endsAt", "/endsAt", violations);
        if (!body.hasNonNull("endsAt")) {
            violations.add("/endsAt", "required: when the silence ends");
        }
        Instant start = startsAt == null || startsAt.isBefore(now) ? now : startsAt;
        SilenceRequests.period(start, endsAt, now, "/endsAt", violations);
        String comment = SilenceRequests.comment(body, violations);
        String id = body.hasNonNull("id") ? body.get("id").asString("") : "";
        Optional<Silence> previous = id.isBlank() ? Optional.empty() : silences.find(id);
        violations.throwIfAny();
        if (!id.isBlank() && previous.isEmpty()) {
            throw SilencesController.notFound(id);
        }
        String createdBy = creator(body.hasNonNull("createdBy") ? body.get("createdBy").asString("").strip() : "");
        Silence silence;
        if (previous.isPresent() && previous.get().state(now) != Silence.State.EXPIRED
                && previous.get().matchers().equals(matchers)) {
            Silence old = previous.get();
            Instant keptStart = old.state(now) == Silence.State.ACTIVE ? old.startsAt() : start;
            silence = new Silence(old.id(), matchers, keptStart, endsAt, createdBy, comment, old.createdAt(), now);
        } else {
            previous.ifPresent(old -> silences.expire(old.id()));
            silence = new Silence(UUID.randomUUID().toString(), matchers, start, endsAt, createdBy, comment, now, now);
        }
        silences.save(silence);
        loop.wake();
        return new SilenceCreated(silence.id());
    }

    /** Who the client says created it (amtool sends the local user), and the credential that did. */
    private static String creator(String claimed) {
        String principal = Callers.current().getName();
        return claimed.isEmpty() || claimed.equals(principal) ? principal : claimed + " via " + principal;
    }

    private static List<Silence.MatcherSpec> matchers(JsonNode node, Violations violations) {
        return SilenceRequests.matchers(node, "{\"name\", \"value\", \"isRegex\", \"isEqual\"}",
                AlertmanagerApiController::operator, false, violations);
    }

    /** Alertmanager's {@code isRegex} (false when absent) and {@code isEqual} (true when absent). */
    private static LabelMatcher.Op operator(JsonNode matcher, String pointer, Violations violations) {
        boolean regex = flag(matcher, "isRegex", false, pointer, violations);
        boolean equal = flag(matcher, "isEqual", true, pointer, violations);
        return regex ? (equal ? LabelMatcher.Op.RE : LabelMatcher.Op.NRE) : (equal ? LabelMatcher.Op.EQ : LabelMatcher.Op.NE);
    }

    private static boolean flag(JsonNode item, String field, boolean absent, String pointer, Violations violations) {
        JsonNode value = item.get(field);
        if (value == null || value.isNull()) {
            return absent;
        }
        if (!value.isBoolean()) {
            violations.add(pointer + "/" + field, "true or false");
            return absent;
        }
        return value.booleanValue();
    }

    private static GettableSilence gettable(Silence silence, Instant now) {
        List<Matcher> matchers = silence.matchers().stream().map(m -> {
            LabelMatcher.Op op = LabelMatcher.Op.of(m.op());
            return new Matcher(m.name(), m.value(), op.regex(), op == LabelMatcher.Op.EQ || op == LabelMatcher.Op.RE);
        }).toList();
        return new GettableSilence(silence.id(), new SilenceStatus(silence.state(now).json()), silence.updatedAt(), matchers,
                silence.startsAt(), silence.endsAt(), silence.createdBy(), silence.comment());
    }
}
