package dev.ghost.remediation.run;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One run of a runbook for one alert, as it is kept in Redis and shown by {@code GET /remediations/{id}}.
 * Its id is its patch's id.
 *
 * @param mode         {@code slack} (a click), {@code api} (REST or the CLI) or {@code automatic}
 * @param state        {@code submitted}, {@code queued}, {@code running}, {@code succeeded}, {@code failed} (failed, timed out,
 *                     cancelled, lost, or refused by the relay)
 * @param verification after success: {@code waiting} for health, {@code confirmed} (the alert resolved), {@code persists}
 *                     (re-paged), then {@code recovered} if it resolved later
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Remediation(String id, String runbook, int runbookVersion, String alert, String alertname, Map<String, String> alertLabels,
        String alertSummary, String groupId, String by, String slackUser, String mode, Instant requestedAt, String state,
        String patchStatus, Boolean rolledBack, String runner, String detail, Instant finishedAt, String verification,
        Instant verifyBy, Instant verifiedAt) {

    public Remediation {
        alertLabels = alertLabels == null ? Map.of() : Map.copyOf(alertLabels);
    }

    public boolean finished() {
        return "succeeded".equals(state) || "failed".equals(state);
    }

    Remediation progress(String state, String patchStatus, String runner) {
        return new Remediation(id, runbook, runbookVersion, alert, alertname, alertLabels, alertSummary, groupId, by, slackUser, mode,
                requestedAt, state, patchStatus, rolledBack, runner, detail, finishedAt, verification, verifyBy, verifiedAt);
    }

    Remediation finish(String state, String patchStatus, Boolean rolledBack, String runner, String detail, Instant at,
            String verification, Instant verifyBy) {
        return new Remediation(id, runbook, runbookVersion, alert, alertname, alertLabels, alertSummary, groupId, by, slackUser, mode,
                requestedAt, state, patchStatus, rolledBack, runner, detail, at, verification, verifyBy, verifiedAt);
    }

    Remediation verified(String verification, Instant at) {
        return new Remediation(id, runbook, runbookVersion, alert, alertname, alertLabels, alertSummary, groupId, by, slackUser, mode,
                requestedAt, state, patchStatus, rolledBack, runner, detail, finishedAt, verification, verifyBy, at);
    }
}
