package dev.ghost.health.discovery;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.netflix.appinfo.InstanceInfo;
import com.netflix.discovery.EurekaClient;
import com.netflix.discovery.shared.Application;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.event.EventListener;

import dev.ghost.health.fleet.Fleet;
import dev.ghost.health.probe.Target;

/**
 * Feeds the fleet every instance Eureka knows, of any service, after every registry refresh
 * (Spring Cloud's HeartbeatEvent), so instances that appear or are cancelled are noticed at the
 * next refresh rather than at the next poll. Instances are read as Eureka stores them, whatever
 * their registry status: one that reports itself DOWN is still watched.
 */
public class EurekaTargets {

    private final ObjectProvider<EurekaClient> eureka;
    private final Fleet fleet;
    private final Set<String> credentialed;

    /** Without a Eureka client (discovery off) there is nothing to watch, and nothing breaks. */
    public EurekaTargets(ObjectProvider<EurekaClient> eureka, Fleet fleet, List<String> credentialedServices) {
        this.eureka = eureka;
        this.fleet = fleet;
        this.credentialed = Set.copyOf(credentialedServices.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList());
    }

    @EventListener({HeartbeatEvent.class, ApplicationReadyEvent.class})
    public void refresh() {
        EurekaClient client = eureka.getIfAvailable();
        if (client != null && client.getApplications() != null) {
            fleet.reconcile(targets(client));
        }
    }

    List<Target> targets(EurekaClient client) {
        List<Target> targets = new ArrayList<>();
        for (Application application : client.getApplications().getRegisteredApplications()) {
            for (InstanceInfo instance : application.getInstancesAsIsFromEureka()) {
                targets.add(target(instance));
            }
        }
        return targets;
    }

    Target target(InstanceInfo instance) {
        String service = instance.getAppName().toLowerCase(Locale.ROOT);
        boolean secure = instance.isPortEnabled(InstanceInfo.PortType.SECURE)
                && !instance.isPortEnabled(InstanceInfo.PortType.UNSECURE);
        int port = secure ? instance.getSecurePort() : instance.getPort();
        String base = (secure ? "https://" : "http://") + instance.getHostName() + ":" + port;
        String healthUrl = secure ? instance.getSecureHealthCheckUrl() : instance.getHealthCheckUrl();
        URI health = URI.create(healthUrl == null || healthUrl.isBlank() ? base + "/actuator/health" : healthUrl);
        String path = health.getPath() == null ? "" : health.getPath();
        URI metrics = path.endsWith("/health")
                ? health.resolve(path.substring(0, path.length() - "/health".length()) + "/prometheus")
                : URI.create(base + "/actuator/prometheus");
        return new Target(instance.getInstanceId(), service, health.getHost(), health.getPort() > 0 ? health.getPort() : port,
                health, metrics, credentialed.contains(service),
                instance.getStatus() == null ? null : instance.getStatus().name());
    }
}
