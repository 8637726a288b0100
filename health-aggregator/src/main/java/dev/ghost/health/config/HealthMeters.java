package dev.ghost.health.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import dev.ghost.health.fleet.FleetView;
import dev.ghost.health.fleet.InstanceView;
import dev.ghost.health.fleet.ServiceView;
import dev.ghost.health.fleet.Status;

/**
 * The aggregator's own view as Prometheus series, for Grafana's "health per service" panel:
 * {@code ghost_health_service_up{service}} (1 UP, 0.5 DEGRADED, 0 DOWN),
 * {@code ghost_health_instance_up{service,instance}} (1 UP, 0.5 FLAPPING, 0 DOWN) and
 * {@code ghost_health_round_seconds} (time to poll every instance once).
 */
public class HealthMeters {

    private final MultiGauge services;
    private final MultiGauge instances;
    private final Timer round;

    public HealthMeters(MeterRegistry registry) {
        this.services = MultiGauge.builder("ghost.health.service.up")
                .description("1 when every instance of the service is UP, 0.5 when DEGRADED, 0 when DOWN").register(registry);
        this.instances = MultiGauge.builder("ghost.health.instance.up")
                .description("1 when the instance is UP, 0.5 when FLAPPING, 0 when DOWN").register(registry);
        this.round = Timer.builder("ghost.health.round")
                .description("Time to poll every registered instance once").register(registry);
    }

    public void update(FleetView view) {
        List<MultiGauge.Row<?>> serviceRows = new ArrayList<>();
        List<MultiGauge.Row<?>> instanceRows = new ArrayList<>();
        for (ServiceView service : view.services()) {
            Double value = score(service.status());
            if (value != null) {
                serviceRows.add(MultiGauge.Row.of(Tags.of("service", service.name()), value));
            }
            for (InstanceView instance : service.instances()) {
                Double up = score(instance.status());
                if (up != null && instance.registered()) {
                    instanceRows.add(MultiGauge.Row.of(Tags.of("service", service.name(), "instance", instance.id()), up));
                }
            }
        }
        services.register(serviceRows, true);
        instances.register(instanceRows, true);
    }

    public void round(FleetView.Round summary) {
        round.record(Duration.ofMillis(summary.durationMs()));
    }

    private static Double score(Status status) {
        return switch (status) {
            case UP -> 1.0;
            case DEGRADED, FLAPPING -> 0.5;
            case DOWN -> 0.0;
            case UNKNOWN -> null;
        };
    }
}
