package dev.ghost.remediation.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.alerting.ActionAdvisor;
import dev.ghost.alerting.Advice;
import dev.ghost.alerting.AlertGroup;
import dev.ghost.alerting.GroupNote;
import dev.ghost.alerting.SuggestedAction;
import dev.ghost.alerting.model.AlertData;
import dev.ghost.remediation.runbook.Runbook;
import dev.ghost.remediation.runbook.RunbookCatalog;

/**
 * What a group's message offers: "Run &lt;runbook&gt;" under each firing alert a runbook matches, and
 * "Silence 1 h" / "Acknowledge" for the group (buttons when Slack interactivity is configured, the
 * command otherwise), and what was done so far (the group's notes, and which runbooks run by
 * themselves here). A click sends back a compact JSON value naming the runbook, its version, the
 * alert and the group.
 */
public class RunbookAdvisor implements ActionAdvisor {

    public static final String RUN = "ghost_run";
    public static final String SILENCE = "ghost_silence";
    public static final String ACKNOWLEDGE = "ghost_ack";
    private static final Logger log = LoggerFactory.getLogger(RunbookAdvisor.class);

    private final RunbookCatalog catalog;
    private final RemediationStore store;
    private final JsonMapper json;
    private final String publicUrl;
    private final boolean interactive;
    private final String silenceLabel;

    public RunbookAdvisor(RunbookCatalog catalog, RemediationStore store, JsonMapper json, String publicUrl, boolean interactive,
            String silenceLabel) {
        this.catalog = catalog;
        this.store = store;
        this.json = json;
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        this.interactive = interactive;
        this.silenceLabel = silenceLabel;
    }

    private boolean inProgress(AlertData alert, Runbook runbook) {
        try {
            return store.inProgress(alert.fingerprint(), runbook.name());
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public Advice advise(AlertGroup group) {
        Map<String, List<SuggestedAction>> perAlert = new LinkedHashMap<>();
        List<GroupNote> notes = new ArrayList<>();
        List<Runbook> runbooks = catalog.current();
        List<String> automatic = new ArrayList<>();
        for (AlertData alert : group.firing()) {
            List<SuggestedAction> actions = new ArrayList<>();
            for (Runbook runbook : runbooks) {
                if (!runbook.matches(alert)) {
                    continue;
                }
                if (inProgress(alert, runbook)) {
                    continue; // running now: its progress is in the notes, and a second click would be refused
                }
                String value = interactive ? json.writeValueAsString(Map.of("r", runbook.name(), "v", runbook.version(),
                        "a", alert.fingerprint(), "g", group.id())) : null;
                actions.add(new SuggestedAction(RUN + ":" + runbook.name() + ":" + alert.fingerprint(), "Run " + runbook.name(),
                        "primary", value, publicUrl + "/runbooks/" + runbook.name() + "?alert=" + alert.fingerprint(),
                        "./ghost runbook run " + runbook.name() + " --alert " + alert.fingerprint()));
                if (runbook.automatic().enabled() && !automatic.contains(runbook.name())) {
                    automatic.add(runbook.name());
                }
            }
            if (!actions.isEmpty()) {
                perAlert.put(alert.fingerprint(), actions);
            }
        }
        List<SuggestedAction> forGroup = new ArrayList<>();
        if (interactive && !group.firing().isEmpty()) {
            String value = json.writeValueAsString(Map.of("g", group.id()));
            forGroup.add(new SuggestedAction(SILENCE, silenceLabel, null, value, null, null));
            forGroup.add(new SuggestedAction(ACKNOWLEDGE, "Acknowledge", null, value, null, null));
        }
        for (String name : automatic) {
            Runbook runbook = runbooks.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
            notes.add(new GroupNote(null, "🤖 " + name + " runs automatically here (at most " + runbook.automatic().maxRunsPerHour()
                    + " per hour for this group; never while silenced or acknowledged)", null, true));
        }
        try {
            if (group.id() != null) {
                notes.addAll(store.notes(group.id()));
            }
        } catch (RuntimeException e) {
            log.debug("Notes of group {} unreadable: {}", group.id(), e.getMessage());
        }
        return new Advice(perAlert, forGroup, notes);
    }
}
