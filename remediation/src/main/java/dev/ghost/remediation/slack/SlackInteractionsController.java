package dev.ghost.remediation.slack;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.alerting.AlertBook;
import dev.ghost.alerting.AlertGroup;
import dev.ghost.alerting.model.AlertData;
import dev.ghost.common.problem.GhostProblemException;
import dev.ghost.common.problem.Violations;
import dev.ghost.common.security.GhostPrincipal;
import dev.ghost.common.security.Role;
import dev.ghost.remediation.RemediationProperties;
import dev.ghost.remediation.run.AuditEntry;
import dev.ghost.remediation.run.RemediationService;
import dev.ghost.remediation.run.RemediationStore;
import dev.ghost.remediation.run.RunbookAdvisor;

/**
 * {@code POST /slack/interactions}: Slack's Request URL for interactivity. Nothing is done unless the
 * request is signed with the app's signing secret, fresh (±tolerance) and new (a replay is refused);
 * then it is answered at once (Slack wants an answer within 3 s) and acted on behind it: the Slack
 * user is looked up in the allowlist and becomes the GHOST principal the allowlist names (anyone
 * else, or a role too small, gets an ephemeral refusal), and the button does what it says — run a
 * runbook through the relay as that principal, silence the group, or acknowledge it.
 */
@RestController
public class SlackInteractionsController {

    private static final Logger log = LoggerFactory.getLogger(SlackInteractionsController.class);
    private static final int MAX_BODY = 64 * 1024;

    private final SlackSignatureVerifier verifier;
    private final RemediationStore store;
    private final RemediationService service;
    private final AlertBook book;
    private final SlackResponder responder;
    private final RemediationProperties.Slack settings;
    private final ExecutorService work;
    private final JsonMapper json;
    private final Clock clock;

    public SlackInteractionsController(SlackSignatureVerifier verifier, RemediationStore store, RemediationService service,
            AlertBook book, SlackResponder responder, RemediationProperties.Slack settings,
            @Qualifier("slackActions") ExecutorService work, JsonMapper json) {
        this.verifier = verifier;
        this.store = store;
        this.service = service;
        this.book = book;
        this.responder = responder;
        this.settings = settings;
        this.work = work;
        this.json = json;
        this.clock = Clock.systemUTC();
    }

    @PostMapping("/slack/interactions")
    public ResponseEntity<Void> interaction(HttpServletRequest request) throws IOException {
        // the raw bytes, as Slack signed them (never the form re-encoded from parsed parameters)
        byte[] body = request.getInputStream().readNBytes(MAX_BODY + 1);
        if (body.length > MAX_BODY) {
            throw new GhostProblemException(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large", "Payload too large",
                    "An interaction payload is at most " + MAX_BODY + " bytes.");
        }
        String signature = request.getHeader("X-Slack-Signature");
        try {
            verifier.verify(request.getHeader("X-Slack-Request-Timestamp"), signature, body, clock.instant());
        } catch (SlackSignatureVerifier.Refused e) {
            log.warn("Slack interaction refused: {}", e.slug());
            throw new GhostProblemException(HttpStatus.UNAUTHORIZED, e.slug(), "Unauthorized", e.getMessage());
        }
        if (!store.firstTime(signature.strip(), settings.tolerance().multipliedBy(2))) {
            log.warn("Slack interaction refused: a replay of a request already taken");
            throw new GhostProblemException(HttpStatus.UNAUTHORIZED, "slack-request-replayed", "Unauthorized",
                    "This signed request was taken before; a replay is refused.");
        }
        JsonNode payload = payload(body);
        try {
            work.execute(() -> act(payload));
        } catch (RejectedExecutionException e) {
            store.forget(signature.strip());
            throw new GhostProblemException(HttpStatus.SERVICE_UNAVAILABLE, "busy", "Busy", "Too many Slack actions at once; retry.")
                    .header("Retry-After", "2");
        }
        return ResponseEntity.ok().build();
    }

    private JsonNode payload(byte[] body) {
        Violations violations = new Violations();
        String form = new String(body, StandardCharsets.UTF_8);
        String encoded = null;
        for (String pair : form.split("&")) {
            if (pair.startsWith("payload=")) {
                encoded = pair.substring("payload=".length());
            }
        }
        JsonNode payload = null;
        if (encoded == null) {
            violations.add("payload", "the form field 'payload' (Slack's interaction JSON) is missing");
        } else {
            try {
                payload = json.readTree(URLDecoder.decode(encoded, StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                violations.add("payload", "not JSON");
            }
        }
        if (payload != null) {
            if (!payload.path("user").path("id").isString()) {
                violations.add("/user/id", "required");
            }
            if (!payload.path("type").isString()) {
                violations.add("/type", "required");
            }
            if ("block_actions".equals(payload.path("type").asString("")) && !payload.path("actions").path(0).path("action_id").isString()) {
                violations.add("/actions/0/action_id", "required");
            }
        }
        violations.throwIfAny();
        return payload;
    }

    private void act(JsonNode payload) {
        String userId = payload.path("user").path("id").asString("");
        String responseUrl = payload.path("response_url").asString(null);
        if (!"block_actions".equals(payload.path("type").asString(""))) {
            return;
        }
        JsonNode action = payload.path("actions").path(0);
        String actionId = action.path("action_id").asString("");
        Optional<RemediationProperties.SlackUser> user = settings.users().stream().filter(u -> u.id().equals(userId)).findFirst();
        if (user.isEmpty()) {
            refuse(responseUrl, userId, null, actionId, "Sorry <@" + userId + ">, you are not allowed to act on GHOST alerts: "
                    + "ask a GHOST admin to add your Slack user id (" + userId + ") to ghost.remediation.slack.users.");
            return;
        }
        GhostPrincipal principal = new GhostPrincipal(user.get().principalName(), user.get().roles());
        JsonNode value;
        try {
            value = json.readTree(action.path("value").asString("{}"));
        } catch (RuntimeException e) {
            refuse(responseUrl, userId, principal, actionId, "That button's value is unreadable; nothing was done.");
            return;
        }
        try {
            if (actionId.startsWith(RunbookAdvisor.RUN)) {
                run(principal, userId, value, responseUrl);
            } else if (actionId.equals(RunbookAdvisor.SILENCE)) {
                silence(principal, userId, value.path("g").asString(""), responseUrl);
            } else if (actionId.equals(RunbookAdvisor.ACKNOWLEDGE)) {
                acknowledge(principal, userId, value.path("g").asString(""), responseUrl);
            } else {
                refuse(responseUrl, userId, principal, actionId, "GHOST does not know the action '" + actionId + "'.");
            }
        } catch (GhostProblemException e) {
            refuse(responseUrl, userId, principal, actionId, "Not done: " + e.getMessage());
        } catch (RuntimeException e) {
            log.warn("Slack action {} by {} failed", actionId, principal.name(), e);
            refuse(responseUrl, userId, principal, actionId, "Not done: GHOST could not do it now (" + e.getClass().getSimpleName()
                    + "); try again, or use ./ghost runbook.");
        }
    }

    private void run(GhostPrincipal principal, String userId, JsonNode value, String responseUrl) {
        if (!principal.roles().contains(Role.SUBMIT)) {
            refuse(responseUrl, userId, principal, RunbookAdvisor.RUN, "Running a runbook needs the SUBMIT role; you have "
                    + principal.roles() + ".");
            return;
        }
        var run = service.run(value.path("r").asString(""), value.path("a").asString(""),
                new RemediationService.Requester(principal, userId, "slack"));
        responder.ephemeral(responseUrl, "failed".equals(run.state())
                ? "❌ " + run.runbook() + " could not start: " + run.detail()
                : "▶️ " + run.runbook() + " v" + run.runbookVersion() + " submitted as patch " + run.id()
                        + "; the alert's message follows it.");
    }

    private void silence(GhostPrincipal principal, String userId, String groupId, String responseUrl) {
        if (!principal.roles().contains(Role.ADMIN)) {
            refuse(responseUrl, userId, principal, RunbookAdvisor.SILENCE, "Silencing needs the ADMIN role; you have "
                    + principal.roles() + ".");
            return;
        }
        AlertGroup group = book.group(groupId).orElseThrow(() -> gone(groupId));
        Map<String, String> labels = group.labels();
        if (labels.isEmpty() && !group.firing().isEmpty()) {
            AlertData first = group.firing().get(0);
            labels = new java.util.TreeMap<>(first.subject());
            labels.put("alertname", first.alertname());
        }
        Duration duration = settings.silenceDuration();
        String id = book.silence(labels, duration, principal.name() + " via Slack", "silenced from Slack by " + principal.name());
        String human = human(duration);
        service.note(groupId, "🔕 Silenced for " + human + " by " + principal.name(), userId, false);
        store.audit(new AuditEntry(null, clock.instant(), "silenced", null, null, null, null, null, null, groupId, principal.name(),
                userId, "slack", "silence " + id + " for " + human + " on " + labels));
        responder.ephemeral(responseUrl, "🔕 Silenced for " + human + " (silence " + id + ").");
    }

    private void acknowledge(GhostPrincipal principal, String userId, String groupId, String responseUrl) {
        book.group(groupId).orElseThrow(() -> gone(groupId));
        store.acknowledge(groupId, principal.name(), clock.instant());
        service.note(groupId, "👀 Acknowledged by " + principal.name() + ": automatic runs hold off while a person is on it", userId,
                false);
        store.audit(new AuditEntry(null, clock.instant(), "acknowledged", null, null, null, null, null, null, groupId,
                principal.name(), userId, "slack", null));
        responder.ephemeral(responseUrl, "👀 Acknowledged: it is yours.");
    }

    private void refuse(String responseUrl, String userId, GhostPrincipal principal, String actionId, String text) {
        store.audit(new AuditEntry(null, clock.instant(), "refused", null, null, null, null, null, null, null,
                principal == null ? null : principal.name(), userId, "slack", actionId + ": " + text));
        responder.ephemeral(responseUrl, text);
    }

    private static GhostProblemException gone(String groupId) {
        return new GhostProblemException(HttpStatus.NOT_FOUND, "group-not-found", "No such group",
                "That alert group is no longer known (resolved more than an hour ago?).");
    }

    public static String human(Duration duration) {
        long minutes = duration.toMinutes();
        return minutes % 60 == 0 ? minutes / 60 + " h" : minutes + " min";
    }
}
