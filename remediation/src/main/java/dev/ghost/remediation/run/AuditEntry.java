package dev.ghost.remediation.run;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of the audit trail ({@code GET /remediations}): who did what, when, about which alert,
 * with which runbook version and patch.
 *
 * @param event {@code requested}, {@code submitted}, {@code running}, {@code succeeded}, {@code failed}, {@code confirmed},
 *              {@code persists}, {@code recovered}, {@code held}, {@code refused}, {@code silenced}, {@code acknowledged}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEntry(String id, Instant at, String event, String run, String patchId, String runbook, Integer runbookVersion,
        String alert, String alertname, String groupId, String by, String slackUser, String mode, String detail) {

    public AuditEntry withId(String id) {
        return new AuditEntry(id, at, event, run, patchId, runbook, runbookVersion, alert, alertname, groupId, by, slackUser, mode,
                detail);
    }

    static AuditEntry of(String event, Remediation run, String detail, Instant at) {
        return new AuditEntry(null, at, event, run.id(), run.id(), run.runbook(), run.runbookVersion(), run.alert(), run.alertname(),
                run.groupId(), run.by(), run.slackUser(), run.mode(), detail);
    }
}
