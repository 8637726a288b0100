package dev.ghost.remediation.run;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.node.ObjectNode;

import dev.ghost.alerting.AlertBook;
import dev.ghost.alerting.AlertGroup;
import dev.ghost.alerting.GroupNote;
import dev.ghost.alerting.model.AlertData;
import dev.ghost.common.patch.InvalidPatchException;
import dev.ghost.common.patch.PatchParser;
import dev.ghost.common.problem.GhostProblemException;
import dev.ghost.common.security.GhostPrincipal;
import dev.ghost.common.security.Role;
import dev.ghost.remediation.runbook.Runbook;
import dev.ghost.remediation.runbook.RunbookCatalog;
import dev.ghost.remediation.runbook.RunbookTemplate;

/**
 * Starts runs: a runbook, an alert it matches, and who asks (a Slack user through the allowlist, a
 * caller of the API, or automatic mode). The patch is rendered from the runbook's current version,
 * submitted through the relay as that principal, recorded (run, audit) and announced on the alert
 * group's message; following it up is the {@link RemediationLoop}'s job.
 */
public class RemediationService {

    private static final Logger log = LoggerFactory.getLogger(RemediationService.class);

    /** Who asked and how: {@code slackUser} null unless from Slack; {@code mode} slack, api or automatic. */
    public record Requester(GhostPrincipal principal, String slackUser, String mode) {
    }

    private final AlertBook book;
    private final RunbookCatalog catalog;
    private final RemediationStore store;
    private final RelayClient relay;
    private final Clock clock;
    private final PatchParser patches = new PatchParser();

    public RemediationService(AlertBook book, RunbookCatalog catalog, RemediationStore store, RelayClient relay, Clock clock) {
        this.book = book;
        this.catalog = catalog;
        this.store = store;
        this.relay = relay;
        this.clock = clock;
    }

    /** The alert with this fingerprint, or the one alert whose fingerprint starts with it (at least 6 characters). */
    public Optional<AlertData> alert(String id) {
        Optional<AlertData> exact = book.alert(id);
        if (exact.isPresent() || id == null || id.length() < 6) {
            return exact;
        }
        List<AlertData> candidates = book.alerts().stream().filter(a -> a.fingerprint().startsWith(id)).toList();
        return candidates.size() == 1 ? Optional.of(candidates.get(0)) : Optional.empty();
    }

    /** The patch this runbook would run for this alert (nothing is run). */
    public ObjectNode render(Runbook runbook, AlertData alert, String patchId) {
        Map<String, String> values;
        try {
            values = runbook.valuesOrFail(alert);
        } catch (Runbook.NotApplicable e) {
            throw refused("runbook-not-applicable", e.getMessage());
        }
        if (!runbook.compiledMatchers().matches(alert.labelSet())) {
            throw refused("runbook-not-applicable", "runbook " + runbook.name() + " does not match this alert (its matchers: "
                    + runbook.matchers() + ")");
        }
        ObjectNode patch;
        try {
            patch = RunbookTemplate.render(runbook.patch(), values, patchId);
            patches.parse(patch);
        } catch (IllegalArgumentException | InvalidPatchException e) {
            throw refused("runbook-not-applicable", "the patch for this alert breaks the patch rules: " + e.getMessage());
        }
        return patch;
    }

    /** Runs the runbook's current version for the alert; the run as started (submitted, or failed when the relay refused). */
    public Remediation run(String runbookName, String alertId, Requester requester) {
        Runbook runbook = catalog.find(runbookName).orElseThrow(() -> new GhostProblemException(HttpStatus.NOT_FOUND,
                "runbook-not-found", "No such runbook", "There is no runbook '" + runbookName + "'."));
        AlertData alert = alert(alertId).orElseThrow(() -> new GhostProblemException(HttpStatus.NOT_FOUND, "alert-not-found",
                "No such alert", "No alert has the fingerprint '" + alertId + "' (GET /alerts lists them)."));
        if (!alert.firing()) {
            throw refused("alert-not-firing", "alert " + alert.fingerprint() + " (" + alert.alertname() + ") is "
                    + alert.state().json() + ", not firing: nothing to fix");
        }
        if (!requester.principal().roles().contains(Role.SUBMIT)) {
            throw new GhostProblemException(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", "Running a runbook needs the SUBMIT role.");
        }
        String patchId = patchId(runbook, alert);
        ObjectNode patch = render(runbook, alert, patchId);
        String groupId = book.groupsOf(alert).stream().map(AlertGroup::id).findFirst().orElse(null);
        Optional<String> running = store.claim(alert.fingerprint(), runbook.name(), patchId, Duration.ofHours(1));
        if (running.isPresent()) {
            throw refused("runbook-in-progress", runbook.name() + " is already running for this alert (patch " + running.get()
                    + "); its outcome is on the alert's message");
        }
        Instant now = clock.instant();
        Remediation run = new Remediation(patchId, runbook.name(), runbook.version(), alert.fingerprint(), alert.alertname(),
                alert.labels(), alert.summary(), groupId, requester.principal().name(), requester.slackUser(), requester.mode(), now,
                "submitted", null, null, null, null, null, null, null, null);
        store.started(run);
        store.audit(AuditEntry.of("requested", run, null, now));
        RelayClient.Answer answer;
        try {
            answer = relay.submit(patch, requester.principal());
        } catch (RelayClient.RelayUnavailableException e) {
            answer = null;
            run = fail(run, e.getMessage());
        }
        if (answer != null && !answer.accepted()) {
            run = fail(run, "the relay refused the patch: " + answer.problem());
        } else if (answer != null) {
            store.audit(AuditEntry.of("submitted", run, "patch " + patchId + " through the relay", clock.instant()));
            String what = "automatic".equals(requester.mode()) ? "🤖 Automatic run of " : "▶️ ";
            note(run, what + runbook.name() + " v" + runbook.version() + " submitted by " + requester.principal().name()
                    + " (patch " + patchId + ")", true);
        }
        log.info("Runbook {} v{} for alert {} ({}) by {}: patch {} {}", runbook.name(), runbook.version(), alert.fingerprint(),
                alert.alertname(), requester.principal().name(), patchId, run.state());
        return run;
    }

    private Remediation fail(Remediation run, String why) {
        Remediation failed = run.finish("failed", null, null, null, why, clock.instant(), null, null);
        store.release(run.alert(), run.runbook(), run.id());
        store.save(failed);
        store.unfollow(failed.id());
        store.audit(AuditEntry.of("failed", failed, why, clock.instant()));
        note(failed, "❌ " + run.runbook() + " could not start: " + why, false);
        return failed;
    }

    /** Shows a line about the run on its alert group's message (and keeps it with the group's notes). */
    void note(Remediation run, String text, boolean quiet) {
        if (run.groupId() == null) {
            return;
        }
        GroupNote note = new GroupNote(clock.instant(), text, run.slackUser(), quiet);
        store.note(run.groupId(), note);
        book.refresh(run.groupId(), note);
    }

    /** Shows a line on a group's message. */
    public void note(String groupId, String text, String slackUser, boolean quiet) {
        GroupNote note = new GroupNote(clock.instant(), text, slackUser, quiet);
        store.note(groupId, note);
        book.refresh(groupId, note);
    }

    /** {@code rb-<runbook>-<alert fingerprint, 8>-<time and random, base 36>}: unique, and a valid patch id. */
    static String patchId(Runbook runbook, AlertData alert) {
        String fingerprint = alert.fingerprint().length() > 8 ? alert.fingerprint().substring(0, 8) : alert.fingerprint();
        String unique = Long.toString(System.currentTimeMillis(), 36) + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
        return ("rb-" + runbook.name() + "-v" + runbook.version() + "-" + fingerprint + "-" + unique).toLowerCase(Locale.ROOT);
    }

    /** The principal automatic runs are made as. */
    public static GhostPrincipal automaticPrincipal() {
        return new GhostPrincipal("remediation:automatic", EnumSet.of(Role.SUBMIT));
    }

    private static GhostProblemException refused(String slug, String detail) {
        return new GhostProblemException(HttpStatus.CONFLICT, slug, "Runbook not run", detail);
    }
}
