package dev.ghost.remediation.run;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.JsonNode;

import dev.ghost.alerting.AlertBook;
import dev.ghost.alerting.AlertGroup;
import dev.ghost.alerting.AlertIntake;
import dev.ghost.alerting.AlertSignal;
import dev.ghost.alerting.Link;
import dev.ghost.alerting.model.AlertData;
import dev.ghost.remediation.runbook.Runbook;
import dev.ghost.remediation.runbook.RunbookCatalog;
import dev.ghost.remediation.runbook.RunbookDirectory;

/**
 * The one thread that follows runs up and decides without a click, and only where alerting's loop
 * runs ({@link AlertBook#active()}: of a pair, the leader), so a pair never decides twice; every
 * state it works from is in Redis, so the other member takes over where it stopped. Each pass:
 * <ul>
 * <li>runs in progress: their patch's status from the relay, told on the group's message (running,
 * succeeded, failed and rolled back, with the summary);</li>
 * <li>runs that succeeded: the alert must resolve (health's word, nothing else's) within
 * {@code verify-wait}; if it still fires then, a re-page ({@code RunbookIneffective}: "runbook ran,
 * problem persists"), resolved in turn when the alert finally resolves;</li>
 * <li>automatic runbooks: a firing alert they match, whose group was told, not silenced and not
 * acknowledged, is run once per alert episode, within the runbook's hourly limit per group;</li>
 * <li>the runbooks directory, if one is configured.</li>
 * </ul>
 */
public class RemediationLoop implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RemediationLoop.class);
    /** The signals of the re-page (a rule in ghost-alerting.yml turns them into the RunbookIneffective alert). */
    public static final String INEFFECTIVE = "remediation.ineffective";
    public static final String RECOVERED = "remediation.recovered";

    private final AlertBook book;
    private final AlertIntake intake;
    private final RunbookCatalog catalog;
    private final RemediationStore store;
    private final RemediationService service;
    private final RelayClient relay;
    private final RunbookDirectory directory;
    private final Duration verifyWait;
    private final Duration interval;
    private final String patchSummaryUrl;
    private final Clock clock;
    private volatile boolean running;
    private Thread thread;
    private boolean failing;

    public RemediationLoop(AlertBook book, AlertIntake intake, RunbookCatalog catalog, RemediationStore store, RemediationService service,
            RelayClient relay, RunbookDirectory directory, Duration verifyWait, Duration interval, String patchSummaryUrl, Clock clock) {
        this.book = book;
        this.intake = intake;
        this.catalog = catalog;
        this.store = store;
        this.service = service;
        this.relay = relay;
        this.directory = directory;
        this.verifyWait = verifyWait;
        this.interval = interval;
        this.patchSummaryUrl = patchSummaryUrl;
        this.clock = clock;
    }

    private void run() {
        while (running) {
            try {
                if (book.active()) {
                    pass();
                }
                if (failing) {
                    failing = false;
                    log.info("Remediation loop works again");
                }
            } catch (RuntimeException e) {
                if (!failing) {
                    failing = true;
                    log.warn("Remediation pass failed ({}); retried", e.toString());
                }
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One pass: directory, runs due, automatic mode. */
    void pass() {
        if (directory != null) {
            directory.scan();
        }
        Instant now = clock.instant();
        for (String id : store.due(now)) {
            Optional<Remediation> run = store.find(id);
            if (run.isEmpty()) {
                store.unfollow(id);
                continue;
            }
            try {
                follow(run.get(), now);
            } catch (RelayClient.RelayUnavailableException e) {
                store.follow(id, now.plus(interval.multipliedBy(4)));
            }
        }
        automatic();
    }

    private void follow(Remediation run, Instant now) {
        if (!run.finished()) {
            progress(run, now);
        } else if ("succeeded".equals(run.state())) {
            verify(run, now);
        } else {
            store.unfollow(run.id());
        }
    }

    private void progress(Remediation run, Instant now) {
        Optional<JsonNode> found = relay.record(run.id());
        if (found.isEmpty()) {
            store.follow(run.id(), now.plus(interval));
            return;
        }
        JsonNode record = found.get();
        String status = record.path("status").asString("");
        String runner = record.path("runner").asString(null);
        switch (status) {
            case "QUEUED" -> {
                if (!"queued".equals(run.state())) {
                    store.save(run.progress("queued", status, runner));
                }
                store.follow(run.id(), now.plus(interval));
            }
            case "RUNNING" -> {
                if (!"running".equals(run.state())) {
                    Remediation running = run.progress("running", status, runner);
                    store.save(running);
                    store.audit(AuditEntry.of("running", running, "on " + runner, now));
                    service.note(running, "⏳ " + run.runbook() + " running on " + runner + " (patch " + run.id() + ")", true);
                }
                store.follow(run.id(), now.plus(interval));
            }
            case "SUCCEEDED" -> {
                String summary = summary(record);
                Remediation succeeded = run.finish("succeeded", status, false, runner, summary, now, "waiting", now.plus(verifyWait));
                store.save(succeeded);
                store.audit(AuditEntry.of("succeeded", succeeded, summary, now));
                service.note(succeeded, "✅ " + run.runbook() + " v" + run.runbookVersion() + " succeeded: " + summary
                        + " — waiting for health to confirm recovery (up to " + human(verifyWait) + ")", false);
                store.follow(run.id(), now.plus(interval));
            }
            case "FAILED", "TIMED_OUT", "CANCELLED", "LOST" -> {
                boolean rolledBack = record.path("rolledBack").asBoolean(false);
                String summary = failure(record);
                Remediation failed = run.finish("failed", status, rolledBack, runner, summary, now, null, null);
                store.save(failed);
                store.unfollow(run.id());
                store.release(run.alert(), run.runbook(), run.id());
                store.audit(AuditEntry.of("failed", failed, summary, now));
                service.note(failed, "❌ " + run.runbook() + " v" + run.runbookVersion() + " " + status.toLowerCase().replace('_', ' ')
                        + ": " + summary + (rolledBack ? " — rolled back: the workspace is exactly as it was before"
                                : " — nothing was changed"), false);
            }
            default -> store.follow(run.id(), now.plus(interval));
        }
    }

    private void verify(Remediation run, Instant now) {
        Optional<AlertData> alert = book.alert(run.alert());
        boolean resolved = alert.isEmpty() || !alert.get().firing();
        String verification = run.verification();
        if ("waiting".equals(verification)) {
            if (resolved) {
                Remediation confirmed = run.verified("confirmed", now);
                store.save(confirmed);
                store.unfollow(run.id());
                store.release(run.alert(), run.runbook(), run.id());
                // the alert's own source resolved it: health for health alerts, a later good patch for PatchFailing, ...
                String confirmedBy = "health".equals(run.alertLabels().get("origin")) ? "Health confirms recovery"
                        : "Recovery confirmed by the alert's own source";
                store.audit(AuditEntry.of("confirmed", confirmed, confirmedBy + ": " + run.alertname() + " resolved", now));
                service.note(confirmed, "💚 " + confirmedBy + ": " + run.alertname() + " resolved after " + run.runbook(), false);
            } else if (run.verifyBy() != null && !now.isBefore(run.verifyBy())) {
                Remediation persists = run.verified("persists", now);
                store.save(persists);
                store.release(run.alert(), run.runbook(), run.id());
                store.audit(AuditEntry.of("persists", persists, "runbook ran, problem persists: " + run.alertname()
                        + " still firing " + human(verifyWait) + " after the run", now));
                intake.submit(List.of(signal(INEFFECTIVE, persists, now)));
                service.note(persists, "⚠️ " + run.runbook() + " ran, problem persists: " + run.alertname() + " still firing after "
                        + human(verifyWait) + " (paged again)", false);
                store.follow(run.id(), now.plus(interval));
            } else {
                store.follow(run.id(), now.plus(interval));
            }
        } else if ("persists".equals(verification)) {
            if (resolved) {
                Remediation recovered = run.verified("recovered", now);
                store.save(recovered);
                store.unfollow(run.id());
                store.audit(AuditEntry.of("recovered", recovered, run.alertname() + " resolved at last", now));
                intake.submit(List.of(signal(RECOVERED, recovered, now)));
            } else {
                store.follow(run.id(), now.plus(interval.multipliedBy(2)));
            }
        } else {
            store.unfollow(run.id());
        }
    }

    /** The re-page's signal: about the runbook and what it was meant to fix (the alert's own identity labels). */
    private AlertSignal signal(String name, Remediation run, Instant now) {
        Map<String, String> subject = new TreeMap<>();
        for (String label : List.of("service", "instance", "target", "dependency")) {
            if (run.alertLabels().containsKey(label)) {
                subject.put(label, run.alertLabels().get(label));
            }
        }
        subject.put("runbook", run.runbook());
        subject.put("problem", run.alertname());
        Map<String, String> annotations = Map.of("patchId", run.id(), "problemSummary", String.valueOf(run.alertSummary()),
                "detail", "runbook " + run.runbook() + " v" + run.runbookVersion() + " (patch " + run.id() + ", by " + run.by()
                        + ") succeeded, yet " + run.alertname() + " still fires: " + run.alertSummary());
        List<Link> links = List.of(new Link("Patch summary", patchSummaryUrl.replace("{patchId}", run.id())));
        return new AlertSignal(name, subject, null, annotations, links, null, now, "remediation-" + name + "-" + run.id());
    }

    /** Automatic runbooks for firing alerts: once per alert episode, within the hourly limit per group, never silenced or taken. */
    private void automatic() {
        List<Runbook> automatic = catalog.current().stream().filter(r -> r.automatic().enabled()).toList();
        if (automatic.isEmpty()) {
            return;
        }
        for (AlertData alert : book.alerts()) {
            if (!alert.firing()) {
                continue;
            }
            for (Runbook runbook : automatic) {
                if (runbook.matches(alert)) {
                    consider(runbook, alert);
                }
            }
        }
    }

    private void consider(Runbook runbook, AlertData alert) {
        if (!book.silencedBy(alert).isEmpty()) {
            return; // a silence says no (looked at again while it lasts)
        }
        List<AlertGroup> groups = book.groupsOf(alert);
        if (groups.isEmpty() || !groups.get(0).told().contains(alert.fingerprint())) {
            return; // its message is not out yet: the run is announced in it
        }
        AlertGroup group = groups.get(0);
        Instant episode = alert.startsAt() != null ? alert.startsAt() : alert.activeAt();
        Optional<Instant> acknowledged = store.acknowledged(group.id());
        if (acknowledged.isPresent() && !acknowledged.get().isBefore(episode)) {
            return; // someone took it: a person is on it
        }
        if (!store.decideOnce(alert.fingerprint(), episode.toEpochMilli(), runbook.name())) {
            return;
        }
        int max = runbook.automatic().maxRunsPerHour();
        long slot = store.takeAutomaticSlot(group.id(), max, alert.fingerprint() + "@" + episode.toEpochMilli());
        Instant now = clock.instant();
        if (slot < 0) {
            String why = "🤖 Automatic run of " + runbook.name() + " not started for " + alert.summary() + ": " + (-slot) + " of " + max
                    + " automatic runs this hour used for this group (use the Run button to run it anyway)";
            store.audit(new AuditEntry(null, now, "held", null, null, runbook.name(), runbook.version(), alert.fingerprint(),
                    alert.alertname(), group.id(), "remediation:automatic", null, "automatic", "rate limit: " + max + " per hour"));
            service.note(group.id(), why, null, false);
            return;
        }
        try {
            service.run(runbook.name(), alert.fingerprint(), new RemediationService.Requester(RemediationService.automaticPrincipal(),
                    null, "automatic"));
            service.note(group.id(), "🤖 Automatic run " + slot + " of " + max + " this hour for this group: " + runbook.name()
                    + " for " + alert.summary(), null, false);
        } catch (RuntimeException e) {
            log.warn("Automatic run of {} for {} not started: {}", runbook.name(), alert.fingerprint(), e.getMessage());
        }
    }

    private static String summary(JsonNode record) {
        StringBuilder out = new StringBuilder();
        long ms = record.path("durationMs").asLong(-1);
        out.append(ms >= 0 ? "took " + ms + " ms" : "done");
        JsonNode files = record.path("filesChanged");
        if (files.isArray() && !files.isEmpty()) {
            out.append(", changed ");
            for (int i = 0; i < Math.min(5, files.size()); i++) {
                out.append(i == 0 ? "" : ", ").append(files.get(i).path("path").asString("?"))
                        .append(" (").append(files.get(i).path("change").asString("")).append(')');
            }
        }
        int commands = 0;
        for (JsonNode step : record.path("steps")) {
            if (step.has("command") && !step.path("command").isNull()) {
                commands++;
            }
        }
        if (commands > 0) {
            out.append(", ").append(commands).append(commands == 1 ? " check passed" : " checks passed");
        }
        return out.toString();
    }

    private static String failure(JsonNode record) {
        for (JsonNode step : record.path("steps")) {
            String outcome = step.path("outcome").asString("");
            if (!outcome.isEmpty() && !"ok".equalsIgnoreCase(outcome) && !"succeeded".equalsIgnoreCase(outcome)) {
                String what = step.path("command").asString(step.path("path").asString(""));
                String exit = step.hasNonNull("exitCode") ? " exited " + step.path("exitCode").asInt() : "";
                String tail = step.path("outputTail").asString("").strip();
                tail = tail.length() > 200 ? "…" + tail.substring(tail.length() - 200) : tail;
                return step.path("phase").asString("") + " `" + what + "`" + exit + (tail.isEmpty() ? "" : " (" + tail.replace('\n', ' ') + ")");
            }
        }
        String error = record.path("error").asString("");
        return error.isEmpty() ? "no step failed (see the patch's summary)" : error;
    }

    static String human(Duration duration) {
        long seconds = duration.getSeconds();
        return seconds < 120 ? seconds + " s" : seconds < 7200 ? seconds / 60 + " min" : seconds / 3600 + " h";
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::run, "ghost-remediation");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stopped before alerting's loop (higher phase stops first), started after it. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1024;
    }
}
