package dev.ghost.health.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code ghost.health.*}: how often and how patiently instances are polled, and how transitions are judged.
 *
 * @param interval             time between two polling rounds of every instance
 * @param timeout              per-call timeout of every probe (health or metrics)
 * @param maxConcurrency       probes in flight at once, over all instances
 * @param confirmations        re-probes that must all agree before a change of status counts (hold-for-N)
 * @param confirmWithin        the re-probes are spread evenly over this time after the first disagreeing probe
 * @param flapThreshold        raw status flips within {@code flapWindow} that make an instance FLAPPING
 * @param flapWindow           the window flips are counted in
 * @param settleAfter          a FLAPPING instance that has not flipped for this long settles (one recovery event)
 * @param watchConnections     keep an idle TCP connection to every instance and probe at once when the instance closes it
 * @param retention            how long figures are kept in Redis
 * @param forgetAfter          how long an instance that left the registry stays on the page (as DOWN, or its last status)
 * @param credentialedServices services trusted with the service token (their health details and metrics need it);
 *                             others are probed anonymously
 * @param probePaths           paths an instance may name as its health check (on its own registered host and port); any
 *                             other health check URL it declares is ignored in favour of {@code /actuator/health}
 * @param metricBatchSize      instances per {@code metric.sample} event (a round with more instances sends several events)
 * @param cacheTtl             upper bound of how long REST answers are cached; never more than the interval
 * @param runnerService        service name the dashboard asks for recent patches
 * @param mlService            service name the dashboard asks for anomalies and alerts
 * @param upstreamTimeout      timeout of the dashboard's calls to the runner and ml-monitor
 * @param dependencies         health components that stand for a dependency several services share (component name →
 *                             dependency name): when {@code dependencyMinServices} services are DOWN with it failing,
 *                             that is one outage of the dependency ({@code health.dependency.down}), not one of each
 * @param dependencyMinServices services that must be DOWN because of one dependency (or, for the registry, lose their
 *                             registration while alive) to call it down
 * @param registryDependency   the name the registry has as a dependency: services alive but gone from it at once mean
 *                             the registry lost them
 * @param namespace            keeps the last told status of every instance, service and dependency apart per deployment
 *                             (and per test run sharing one Redis); the members of a pair share it
 * @param watchdog             the page sent when alerting itself is gone
 */
@ConfigurationProperties("ghost.health")
@Validated
public record HealthProperties(
        @DefaultValue("10s") @NotNull Duration interval,
        @DefaultValue("2s") @NotNull Duration timeout,
        @DefaultValue("64") @Positive int maxConcurrency,
        @DefaultValue("3") @PositiveOrZero int confirmations,
        @DefaultValue("2s") @NotNull Duration confirmWithin,
        @DefaultValue("5") @Positive int flapThreshold,
        @DefaultValue("2m") @NotNull Duration flapWindow,
        @DefaultValue("30s") @NotNull Duration settleAfter,
        @DefaultValue("true") boolean watchConnections,
        @DefaultValue("24h") @NotNull Duration retention,
        @DefaultValue("1h") @NotNull Duration forgetAfter,
        @DefaultValue({"runner-service", "relay-service", "health-aggregator", "ml-monitor", "registry-service"})
        List<String> credentialedServices,
        @DefaultValue({"/actuator/health", "/health", "/healthz"}) List<String> probePaths,
        @DefaultValue("50") @Positive int metricBatchSize,
        @DefaultValue("10s") @NotNull Duration cacheTtl,
        @DefaultValue("runner-service") @NotBlank String runnerService,
        @DefaultValue("ml-monitor") @NotBlank String mlService,
        @DefaultValue("3s") @NotNull Duration upstreamTimeout,
        Map<String, String> dependencies,
        @DefaultValue("2") @Positive int dependencyMinServices,
        @DefaultValue("eureka") @NotBlank String registryDependency,
        @DefaultValue("") String namespace,
        @DefaultValue @Valid Watchdog watchdog) {

    public HealthProperties {
        credentialedServices = List.copyOf(credentialedServices);
        probePaths = List.copyOf(probePaths);
        dependencies = dependencies == null ? Map.of("redis", "redis") : Map.copyOf(dependencies);
    }

    public Duration effectiveCacheTtl() {
        return cacheTtl.compareTo(interval) < 0 ? cacheTtl : interval;
    }

    /**
     * When no instance of the service that pages (ml-monitor, which runs alerting) answers, the leading
     * health-aggregator pages itself, once per outage, straight to a Slack incoming webhook: nothing
     * else would tell anyone, since the page would have to come from what is down.
     *
     * @param service    the service whose absence is paged
     * @param after      how long it must be DOWN (or gone from the registry) first
     * @param webhookUrl Slack incoming webhook ({@code SLACK_WEBHOOK_URL}, the one alerting uses); empty: only logged. A secret.
     * @param timeout    whole-call timeout of the webhook post
     */
    public record Watchdog(@DefaultValue("ml-monitor") @NotBlank String service, @DefaultValue("30s") @NotNull Duration after,
            @DefaultValue("") String webhookUrl, @DefaultValue("5s") @NotNull Duration timeout) {

        /** Never the webhook URL: it is the credential. */
        @Override
        public String toString() {
            return "Watchdog[service=" + service + ", after=" + after + ", webhook=" + (webhookUrl.isBlank() ? "none" : "set") + "]";
        }
    }
}
