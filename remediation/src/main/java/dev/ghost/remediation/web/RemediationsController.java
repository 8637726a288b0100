package dev.ghost.remediation.web;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.ghost.common.problem.GhostProblemException;
import dev.ghost.common.problem.Violations;
import dev.ghost.remediation.run.AuditEntry;
import dev.ghost.remediation.run.Remediation;
import dev.ghost.remediation.run.RemediationStore;

/**
 * The audit trail ({@code GET /remediations}: every request, run, outcome, verification, silence,
 * acknowledgement and refusal, newest first, with who, when, which alert, which runbook version and
 * which patch) and each run ({@code GET /remediations/{id}}).
 */
@RestController
@RequestMapping("/remediations")
public class RemediationsController {

    static final int MAX_LIMIT = 1000;

    public record AuditList(List<AuditEntry> remediations) {
    }

    public record RunList(List<Remediation> runs) {
    }

    private final RemediationStore store;

    public RemediationsController(RemediationStore store) {
        this.store = store;
    }

    @GetMapping
    @PreAuthorize("hasRole('READ')")
    public AuditList audit(@RequestParam(required = false) String alert, @RequestParam(required = false) String runbook,
            @RequestParam(required = false) String run, @RequestParam(required = false) String event,
            @RequestParam(defaultValue = "100") int limit) {
        check(limit);
        return new AuditList(store.audit(limit, e -> (alert == null || alert.equals(e.alert()))
                && (runbook == null || runbook.equals(e.runbook())) && (run == null || run.equals(e.run()))
                && (event == null || event.equals(e.event()))));
    }

    @GetMapping("/runs")
    @PreAuthorize("hasRole('READ')")
    public RunList runs(@RequestParam(required = false) String alert, @RequestParam(required = false) String runbook,
            @RequestParam(defaultValue = "50") int limit) {
        check(limit);
        return new RunList(store.recent(limit, r -> (alert == null || alert.equals(r.alert()))
                && (runbook == null || runbook.equals(r.runbook()))));
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasRole('READ')")
    public Remediation get(@PathVariable String id) {
        return store.find(id).orElseThrow(() -> new GhostProblemException(HttpStatus.NOT_FOUND, "remediation-not-found",
                "No such remediation", "There is no run '" + id + "' (kept for the retention period)."));
    }

    private static void check(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            new Violations().add("limit", "between 1 and " + MAX_LIMIT).throwIfAny();
        }
    }
}
