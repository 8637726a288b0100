package dev.ghost.health.web;

import java.time.Clock;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.ghost.common.problem.GhostProblemException;
import dev.ghost.health.config.HealthProperties;
import dev.ghost.health.fleet.Fleet;
import dev.ghost.health.fleet.FleetView;
import dev.ghost.health.fleet.ServiceView;
import dev.ghost.health.history.HistoryQuery;
import dev.ghost.health.history.HistoryView;

@RestController
@RequestMapping("/health")
@Tag(name = "health", description = "Health of every registered instance, its history, and hints")
public class HealthController {

    private final HealthQueries queries;
    private final Fleet fleet;
    private final HealthProperties properties;
    private final Clock clock;

    public HealthController(HealthQueries queries, Fleet fleet, HealthProperties properties, Clock clock) {
        this.queries = queries;
        this.fleet = fleet;
        this.properties = properties;
        this.clock = clock;
    }

    @GetMapping("/summary")
    @PreAuthorize("hasRole('READ')")
    @Operation(summary = "The system's status, every service and its instances with their latest figures")
    public FleetView summary() {
        return queries.summary(queries.generation());
    }

    @GetMapping("/services/{name}")
    @PreAuthorize("hasRole('READ')")
    @Operation(summary = "One service and its instances")
    public ServiceView service(@PathVariable String name) {
        ServiceView service = queries.service(queries.generation(), name);
        if (service == null) {
            throw new GhostProblemException(HttpStatus.NOT_FOUND, "service-not-found", "Service not found",
                    "No instance of a service named '" + name + "' is registered or was in the last "
                            + properties.forgetAfter().toMinutes() + " minutes.");
        }
        return service;
    }

    @GetMapping("/history")
    @PreAuthorize("hasRole('READ')")
    @Operation(summary = "Figures and status over time, one series per instance, downsampled to one point per step")
    public HistoryView history(@RequestParam(required = false) String service, @RequestParam(required = false) String instance,
            @RequestParam(required = false) String since, @RequestParam(required = false) String step) {
        HistoryQuery query = HistoryQuery.parse(service, instance, since, step, clock.instant(), properties.interval(),
                properties.retention());
        String request = String.join("|", String.valueOf(service), String.valueOf(instance), String.valueOf(since),
                String.valueOf(step));
        return queries.history(queries.generation(), request, query);
    }

    /**
     * A caller could not reach an instance (the relay, when a call failed to connect): the
     * instance is probed at once, and confirmed DOWN within seconds if it really is.
     */
    @PostMapping("/hints")
    @PreAuthorize("hasRole('SERVICE')")
    @Operation(summary = "Tell the aggregator an instance looks unreachable; it re-probes at once")
    public ResponseEntity<HintAccepted> hint(@Valid @RequestBody Hint hint) {
        boolean known = fleet.hint(hint.instance(), hint.reason() == null ? "hint" : hint.reason()).join();
        if (!known) {
            throw new GhostProblemException(HttpStatus.NOT_FOUND, "instance-not-found", "Instance not found",
                    "No watched instance has id or host:port '" + hint.instance() + "'.");
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(new HintAccepted(hint.instance(), true));
    }

    /**
     * @param instance the registry's instance id, or {@code host:port}
     * @param reason   what the caller saw, for the log (e.g. "connect refused")
     */
    public record Hint(@NotBlank @Size(max = 300) String instance, @Size(max = 300) String reason) {
    }

    /** @param probing the instance is being probed now */
    public record HintAccepted(String instance, boolean probing) {
    }
}
