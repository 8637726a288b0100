package dev.ghost.remediation.web;

import java.net.URI;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

import dev.ghost.alerting.model.AlertData;
import dev.ghost.common.problem.GhostProblemException;
import dev.ghost.common.problem.Violations;
import dev.ghost.common.security.Callers;
import dev.ghost.remediation.run.Remediation;
import dev.ghost.remediation.run.RemediationService;
import dev.ghost.remediation.runbook.Runbook;
import dev.ghost.remediation.runbook.RunbookCatalog;
import dev.ghost.remediation.runbook.RunbookParser;

/**
 * Runbooks over REST: list and read (READ), create or change (ADMIN; every change a new version,
 * checked with the same rules as files and patches), delete (ADMIN), see the patch a runbook would
 * run for an alert (READ), and run it for an alert (SUBMIT, as the caller).
 */
@RestController
@RequestMapping("/runbooks")
public class RunbooksController {

    public record RunbookList(List<Runbook> runbooks) {
    }

    public record VersionList(List<Runbook> versions) {
    }

    /** What {@code GET /runbooks/{name}?alert=} adds: the patch it would run for that alert, or why it would not. */
    public record Preview(Runbook runbook, String alert, boolean matches, JsonNode patch, String reason) {
    }

    private final RunbookCatalog catalog;
    private final RunbookParser parser;
    private final RemediationService service;

    public RunbooksController(RunbookCatalog catalog, RunbookParser parser, RemediationService service) {
        this.catalog = catalog;
        this.parser = parser;
        this.service = service;
    }

    @GetMapping
    @PreAuthorize("hasRole('READ')")
    public RunbookList list() {
        return new RunbookList(catalog.all());
    }

    @GetMapping("/{name}")
    @PreAuthorize("hasRole('READ')")
    public Object get(@PathVariable String name, @RequestParam(required = false) Integer version,
            @RequestParam(required = false) String alert) {
        Runbook runbook = (version == null ? catalog.find(name) : catalog.version(name, version)).orElseThrow(() -> notFound(name));
        if (alert == null) {
            return runbook;
        }
        AlertData found = service.alert(alert).orElseThrow(() -> new GhostProblemException(HttpStatus.NOT_FOUND, "alert-not-found",
                "No such alert", "No alert has the fingerprint '" + alert + "'."));
        try {
            return new Preview(runbook, found.fingerprint(), true, service.render(runbook, found, "preview"), null);
        } catch (GhostProblemException e) {
            return new Preview(runbook, found.fingerprint(), false, null, e.getMessage());
        }
    }

    @GetMapping("/{name}/versions")
    @PreAuthorize("hasRole('READ')")
    public VersionList versions(@PathVariable String name) {
        List<Runbook> versions = catalog.versions(name);
        if (versions.isEmpty()) {
            throw notFound(name);
        }
        return new VersionList(versions);
    }

    @PutMapping(path = "/{name}", consumes = {"application/json", "application/yaml", "application/x-yaml", "text/yaml", "text/plain"})
    @PreAuthorize("hasRole('ADMIN')")
    public ResponseEntity<Runbook> put(@PathVariable String name, @RequestBody byte[] body) {
        Runbook parsed = parser.parse(name, parser.read(body), "api", Callers.current().getName());
        catalog.find(name).filter(existing -> !"api".equals(existing.source())).ifPresent(existing -> {
            throw new GhostProblemException(HttpStatus.CONFLICT, "runbook-managed-by-file", "Runbook managed by a file",
                    "Runbook '" + name + "' comes from " + existing.source() + " in the runbooks directory: change it there.");
        });
        boolean created = catalog.find(name).isEmpty();
        Runbook stored = catalog.save(parsed);
        return created ? ResponseEntity.created(URI.create("/runbooks/" + name)).body(stored) : ResponseEntity.ok(stored);
    }

    @DeleteMapping("/{name}")
    @PreAuthorize("hasRole('ADMIN')")
    public ResponseEntity<Void> delete(@PathVariable String name) {
        Runbook runbook = catalog.find(name).orElseThrow(() -> notFound(name));
        if (!"api".equals(runbook.source())) {
            throw new GhostProblemException(HttpStatus.CONFLICT, "runbook-managed-by-file", "Runbook managed by a file",
                    "Runbook '" + name + "' comes from " + runbook.source() + ": remove the file instead.");
        }
        catalog.delete(name);
        return ResponseEntity.noContent().build();
    }

    /** Runs it for an alert as the caller: {@code {"alert": "<fingerprint or a unique prefix>"}}. */
    @PostMapping("/{name}/runs")
    @PreAuthorize("hasRole('SUBMIT')")
    public ResponseEntity<Remediation> run(@PathVariable String name, @RequestBody JsonNode body) {
        Violations violations = new Violations();
        if (body == null || !body.isObject()) {
            violations.add("", "a JSON object {\"alert\": \"<fingerprint>\"}");
        } else if (!body.path("alert").isString() || body.path("alert").stringValue().isBlank()) {
            violations.add("/alert", "the alert's fingerprint (GET /alerts), or a unique prefix of it");
        }
        violations.throwIfAny();
        Remediation run = service.run(name, body.path("alert").stringValue(),
                new RemediationService.Requester(Callers.current().getPrincipal(), null, "api"));
        return ResponseEntity.accepted().location(URI.create("/remediations/" + run.id())).body(run);
    }

    static GhostProblemException notFound(String name) {
        return new GhostProblemException(HttpStatus.NOT_FOUND, "runbook-not-found", "No such runbook",
                "There is no runbook '" + name + "' (GET /runbooks lists them).");
    }
}
