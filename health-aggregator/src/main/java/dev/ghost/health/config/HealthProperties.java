package dev.ghost.health.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code ghost.health.*}: how often and how patiently instances are polled, and how transitions are judged. */
@ConfigurationProperties("ghost.health")
public class HealthProperties {

    /** Time between two polling rounds of every instance. */
    private Duration interval = Duration.ofSeconds(10);

    /** Per-call timeout of every probe (health or metrics). */
    private Duration timeout = Duration.ofSeconds(2);

    /** Probes in flight at once, over all instances. */
    private int maxConcurrency = 64;

    /** Re-probes that must all agree before a change of status counts (hold-for-N). */
    private int confirmations = 3;

    /** The re-probes are spread evenly over this time after the first disagreeing probe. */
    private Duration confirmWithin = Duration.ofSeconds(2);

    /** Raw status flips within {@link #flapWindow} that make an instance FLAPPING. */
    private int flapThreshold = 5;

    private Duration flapWindow = Duration.ofMinutes(2);

    /** A FLAPPING instance that has not flipped for this long settles (one recovery event). */
    private Duration settleAfter = Duration.ofSeconds(30);

    /** Keep an idle TCP connection to every instance and probe at once when the instance closes it. */
    private boolean watchConnections = true;

    /** How long figures are kept in Redis. */
    private Duration retention = Duration.ofHours(24);

    /** How long an instance that left the registry stays on the page (as DOWN, or its last status). */
    private Duration forgetAfter = Duration.ofHours(1);

    /** Services trusted with the service token (their health details and metrics need it); others are probed anonymously. */
    private List<String> credentialedServices = new ArrayList<>(
            List.of("runner-service", "relay-service", "health-aggregator", "ml-monitor", "registry-service"));

    /**
     * Paths an instance may name as its health check (on its own registered host and port); any other
     * health check URL it declares is ignored in favour of {@code /actuator/health}.
     */
    private List<String> probePaths = new ArrayList<>(List.of("/actuator/health", "/health", "/healthz"));

    /** Instances per {@code metric.sample} event (a round with more instances sends several events). */
    private int metricBatchSize = 50;

    /** Upper bound of how long REST answers are cached; never more than the interval. */
    private Duration cacheTtl = Duration.ofSeconds(10);

    /** Service names the dashboard asks for recent patches and for anomalies and alerts. */
    private String runnerService = "runner-service";

    private String mlService = "ml-monitor";

    /** Timeout of the dashboard's calls to the runner and ml-monitor. */
    private Duration upstreamTimeout = Duration.ofSeconds(3);

    /**
     * Health components that stand for a dependency several services share (component name → dependency
     * name): when {@code dependency-min-services} services are DOWN with it failing, that is one outage of the
     * dependency ({@code health.dependency.down}), not one of each service.
     */
    private Map<String, String> dependencies = new LinkedHashMap<>(Map.of("redis", "redis"));

    /** Services that must be DOWN because of one dependency (or, for the registry, lose their registration while alive) to call it down. */
    private int dependencyMinServices = 2;

    /** The name the registry has as a dependency: services alive but gone from it at once mean the registry lost them. */
    private String registryDependency = "eureka";

    public Duration effectiveCacheTtl() {
        return cacheTtl.compareTo(interval) < 0 ? cacheTtl : interval;
    }

    public Duration getInterval() {
        return interval;
    }

    public void setInterval(Duration interval) {
        this.interval = interval;
    }

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    public int getMaxConcurrency() {
        return maxConcurrency;
    }

    public void setMaxConcurrency(int maxConcurrency) {
        this.maxConcurrency = maxConcurrency;
    }

    public int getConfirmations() {
        return confirmations;
    }

    public void setConfirmations(int confirmations) {
        this.confirmations = confirmations;
    }

    public Duration getConfirmWithin() {
        return confirmWithin;
    }

    public void setConfirmWithin(Duration confirmWithin) {
        this.confirmWithin = confirmWithin;
    }

    public int getFlapThreshold() {
        return flapThreshold;
    }

    public void setFlapThreshold(int flapThreshold) {
        this.flapThreshold = flapThreshold;
    }

    public Duration getFlapWindow() {
        return flapWindow;
    }

    public void setFlapWindow(Duration flapWindow) {
        this.flapWindow = flapWindow;
    }

    public Duration getSettleAfter() {
        return settleAfter;
    }

    public void setSettleAfter(Duration settleAfter) {
        this.settleAfter = settleAfter;
    }

    public boolean isWatchConnections() {
        return watchConnections;
    }

    public void setWatchConnections(boolean watchConnections) {
        this.watchConnections = watchConnections;
    }

    public Duration getRetention() {
        return retention;
    }

    public void setRetention(Duration retention) {
        this.retention = retention;
    }

    public Duration getForgetAfter() {
        return forgetAfter;
    }

    public void setForgetAfter(Duration forgetAfter) {
        this.forgetAfter = forgetAfter;
    }

    public List<String> getCredentialedServices() {
        return credentialedServices;
    }

    public void setCredentialedServices(List<String> credentialedServices) {
        this.credentialedServices = credentialedServices;
    }

    public List<String> getProbePaths() {
        return probePaths;
    }

    public void setProbePaths(List<String> probePaths) {
        this.probePaths = probePaths;
    }

    public int getMetricBatchSize() {
        return metricBatchSize;
    }

    public void setMetricBatchSize(int metricBatchSize) {
        this.metricBatchSize = metricBatchSize;
    }

    public Duration getCacheTtl() {
        return cacheTtl;
    }

    public void setCacheTtl(Duration cacheTtl) {
        this.cacheTtl = cacheTtl;
    }

    public String getRunnerService() {
        return runnerService;
    }

    public void setRunnerService(String runnerService) {
        this.runnerService = runnerService;
    }

    public String getMlService() {
        return mlService;
    }

    public void setMlService(String mlService) {
        this.mlService = mlService;
    }

    public Map<String, String> getDependencies() {
        return dependencies;
    }

    public void setDependencies(Map<String, String> dependencies) {
        this.dependencies = dependencies;
    }

    public int getDependencyMinServices() {
        return dependencyMinServices;
    }

    public void setDependencyMinServices(int dependencyMinServices) {
        this.dependencyMinServices = dependencyMinServices;
    }

    public String getRegistryDependency() {
        return registryDependency;
    }

    public void setRegistryDependency(String registryDependency) {
        this.registryDependency = registryDependency;
    }

    public Duration getUpstreamTimeout() {
        return upstreamTimeout;
    }

    public void setUpstreamTimeout(Duration upstreamTimeout) {
        this.upstreamTimeout = upstreamTimeout;
    }
}
