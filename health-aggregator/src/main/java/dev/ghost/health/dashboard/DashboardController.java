package dev.ghost.health.dashboard;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.ghost.health.config.HealthProperties;

/**
 * The dashboard's view of other services: recent patches from the runner, anomalies and alerts
 * from ml-monitor. Each answer says whether the source was available, so the page can tell
 * "nothing happened" from "cannot know".
 */
@RestController
@RequestMapping("/dashboard")
@Validated
@Tag(name = "dashboard", description = "Recent patches, anomalies and alerts, as the dashboard shows them")
public class DashboardController {

    private final UpstreamClient upstream;
    private final HealthProperties properties;

    public DashboardController(UpstreamClient upstream, HealthProperties properties) {
        this.upstream = upstream;
        this.properties = properties;
    }

    @GetMapping("/patches")
    @PreAuthorize("hasRole('READ')")
    @Operation(summary = "Recent patches from runner-service (GET /patches?limit=)")
    public DashboardFeeds.Feed<DashboardFeeds.PatchItem> patches(@RequestParam(defaultValue = "10") @Min(1) @Max(100) int limit,
            HttpServletRequest request) {
        return upstream.get(properties.runnerService(), "/patches?limit=" + limit, request,
                answer -> DashboardFeeds.patches(answer, limit));
    }

    @GetMapping("/anomalies")
    @PreAuthorize("hasRole('READ')")
    @Operation(summary = "Recent anomalies from ml-monitor (GET /anomalies)")
    public DashboardFeeds.Feed<DashboardFeeds.AnomalyItem> anomalies(@RequestParam(defaultValue = "10") @Min(1) @Max(100) int limit,
            HttpServletRequest request) {
        return upstream.get(properties.mlService(), "/anomalies?limit=" + limit, request,
                answer -> DashboardFeeds.anomalies(answer, limit));
    }

    @GetMapping("/alerts")
    @PreAuthorize("hasRole('READ')")
    @Operation(summary = "Alerts from ml-monitor (GET /alerts): firing first, then the most recently changed")
    public DashboardFeeds.Feed<DashboardFeeds.AlertItem> alerts(@RequestParam(defaultValue = "10") @Min(1) @Max(100) int limit,
            HttpServletRequest request) {
        return upstream.get(properties.mlService(), "/alerts", request, answer -> DashboardFeeds.alerts(answer, limit));
    }
}
