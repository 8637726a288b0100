package dev.ghost.alerting.test;

import java.util.List;
import java.util.Map;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.ghost.alerting.AlertIntake;
import dev.ghost.common.config.GhostService;
import dev.ghost.common.event.GhostEvent;
import dev.ghost.common.problem.GhostProblemException;

/**
 * The smallest service that runs alerting: common's security, problem details and Redis, the
 * alerting auto-configuration with GHOST's shipped rules ({@code ghost-alerting.yml}), and a
 * {@code POST /events} that hands events to the {@link AlertIntake} the way a deployable does
 * (ml-monitor's ingestion, minus its own work), so alerting is tested through HTTP without
 * ml-monitor.
 */
@SpringBootApplication
@GhostService("alerting-test-app")
public class AlertingTestApplication {

    @RestController
    static class Events {

        private final AlertIntake alerting;

        Events(AlertIntake alerting) {
            this.alerting = alerting;
        }

        @PostMapping(path = "/events", consumes = "application/json")
        @PreAuthorize("hasRole('SERVICE')")
        ResponseEntity<Map<String, Object>> events(@RequestBody List<GhostEvent> events) {
            try {
                alerting.record(events);
            } catch (AlertIntake.EventsNotRecordedException e) {
                throw new GhostProblemException(HttpStatus.SERVICE_UNAVAILABLE, "events-not-recorded", "Events not recorded",
                        "Alerting could not record these events now. Send them again shortly.").header("Retry-After", "5");
            }
            return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("accepted", events.size()));
        }
    }
}
