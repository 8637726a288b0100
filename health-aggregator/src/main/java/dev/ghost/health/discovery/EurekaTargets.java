package dev.ghost.health.discovery;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
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
 * their registry status: one that reports itself DOWN is still watched. The Eureka servers
 * themselves do not register, so they are added from the client's service URLs.
 */
public class EurekaTargets {

    static final String REGISTRY_SERVICE = "registry-service";

    private final ObjectProvider<EurekaClient> eureka;
    private final Fleet fleet;
    private final Set<String> credentialed;
    private final String serviceAuthorization;
    private final List<Target> registries;

    /**
     * @param serviceToken  sent (as a bearer token) only to services named in {@code credentialedServices}
     * @param registryUrls  {@code eureka.client.service-url.defaultZone}: comma-separated, credentials in the user part
     */
    public EurekaTargets(ObjectProvider<EurekaClient> eureka, Fleet fleet, List<String> credentialedServices,
            String serviceToken, String registryUrls) {
        this.eureka = eureka;
        this.fleet = fleet;
        this.credentialed = Set.copyOf(credentialedServices.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList());
        this.serviceAuthorization = serviceToken == null || serviceToken.isBlank() ? null : "Bearer " + serviceToken;
        this.registries = registries(registryUrls);
    }

    /** Without a Eureka client (discovery off) there is nothing to watch, and nothing breaks. */
    @EventListener({HeartbeatEvent.class, ApplicationReadyEvent.class})
    public void refresh() {
        EurekaClient client = eureka.getIfAvailable();
        if (client != null && client.getApplications() != null) {
            fleet.reconcile(targets(client));
        }
    }

    List<Target> targets(EurekaClient client) {
        List<Target> targets = new ArrayList<>(registries);
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
                health, metrics, credentialed.contains(service) ? serviceAuthorization : null,
                instance.getStatus() == null ? null : instance.getStatus().name());
    }

    /** The registry is GHOST's too; its actuator answers the Eureka credentials (HTTP basic), not tokens. */
    static List<Target> registries(String urls) {
        List<Target> targets = new ArrayList<>();
        if (urls == null || urls.isBlank()) {
            return targets;
        }
        for (String text : urls.split(",")) {
            URI url = URI.create(text.trim());
            if (url.getHost() == null) {
                continue;
            }
            int port = url.getPort() > 0 ? url.getPort() : ("https".equals(url.getScheme()) ? 443 : 80);
            String base = url.getScheme() + "://" + url.getHost() + ":" + port;
            String authorization = url.getRawUserInfo() == null ? null : "Basic " + Base64.getEncoder()
                    .encodeToString(decode(url.getRawUserInfo()).getBytes(StandardCharsets.UTF_8));
            targets.add(new Target(url.getHost() + ":" + REGISTRY_SERVICE + ":" + port, REGISTRY_SERVICE, url.getHost(), port,
                    URI.create(base + "/actuator/health"), URI.create(base + "/actuator/prometheus"), authorization, "UP"));
        }
        return targets;
    }

    private static String decode(String userInfo) {
        return java.net.URLDecoder.decode(userInfo.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
