package dev.ghost.health.discovery;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.netflix.appinfo.InstanceInfo;
import com.netflix.discovery.EurekaClient;
import com.netflix.discovery.shared.Application;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 *
 * <p>What an instance declares is not trusted with more than its own address: it is probed only on
 * its registered host and port (as an IP address, resolved once here, so a name cannot be turned
 * elsewhere afterwards), on a health path from a fixed list, over plain HTTP(S); link-local,
 * cloud-metadata, multicast and unspecified addresses are never probed; the service token goes only
 * to GHOST's own services.
 */
public class EurekaTargets {

    static final String REGISTRY_SERVICE = "registry-service";
    private static final Logger log = LoggerFactory.getLogger(EurekaTargets.class);
    private static final String DEFAULT_HEALTH = "/actuator/health";

    private final ObjectProvider<EurekaClient> eureka;
    private final Fleet fleet;
    private final Set<String> credentialed;
    private final List<String> probePaths;
    private final String serviceAuthorization;
    private final List<Target> registries;
    private final Set<String> refused = ConcurrentHashMap.newKeySet();

    /**
     * @param serviceToken  sent (as a bearer token) only to services named in {@code credentialedServices}
     * @param registryUrls  {@code eureka.client.service-url.defaultZone}: comma-separated
     * @param registryAuthorization  the Authorization header for the registries' own actuator (this service's registry credential)
     */
    public EurekaTargets(ObjectProvider<EurekaClient> eureka, Fleet fleet, List<String> credentialedServices, List<String> probePaths,
            String serviceToken, String registryUrls, String registryAuthorization) {
        this.eureka = eureka;
        this.fleet = fleet;
        this.credentialed = Set.copyOf(credentialedServices.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList());
        this.probePaths = List.copyOf(probePaths);
        this.serviceAuthorization = serviceToken == null || serviceToken.isBlank() ? null : "Bearer " + serviceToken;
        this.registries = registries(registryUrls, registryAuthorization);
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
                target(instance).ifPresent(targets::add);
            }
        }
        return targets;
    }

    Optional<Target> target(InstanceInfo instance) {
        String service = instance.getAppName().toLowerCase(Locale.ROOT);
        boolean secure = instance.isPortEnabled(InstanceInfo.PortType.SECURE)
                && !instance.isPortEnabled(InstanceInfo.PortType.UNSECURE);
        int port = secure ? instance.getSecurePort() : instance.getPort();
        Optional<InetAddress> address = probeable(instance.getHostName());
        if (address.isEmpty() || port <= 0 || port > 65535) {
            if (refused.add(instance.getInstanceId())) {
                log.warn("instance {} of {} registered an address that is never probed ({}:{}); it is not watched",
                        instance.getInstanceId(), service, instance.getHostName(), port);
            }
            return Optional.empty();
        }
        String host = address.get().getHostAddress();
        String base = (secure ? "https://" : "http://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        String declared = secure ? instance.getSecureHealthCheckUrl() : instance.getHealthCheckUrl();
        URI health = URI.create(base + healthPath(declared));
        URI metrics = URI.create(base + "/actuator/prometheus");
        return Optional.of(new Target(instance.getInstanceId(), service, instance.getHostName(), port, health, metrics,
                credentialed.contains(service) ? serviceAuthorization : null,
                instance.getStatus() == null ? null : instance.getStatus().name()));
    }

    /** The declared health check's path if it is one of the allowed ones, else the actuator's; never its host. */
    private String healthPath(String declared) {
        if (declared == null || declared.isBlank()) {
            return DEFAULT_HEALTH;
        }
        try {
            String path = URI.create(declared.strip()).getPath();
            return path != null && probePaths.contains(path) ? path : DEFAULT_HEALTH;
        } catch (IllegalArgumentException e) {
            return DEFAULT_HEALTH;
        }
    }

    /** The address to probe a host at, unless it is one GHOST never sends a request to. */
    static Optional<InetAddress> probeable(String host) {
        if (host == null || host.isBlank()) {
            return Optional.empty();
        }
        try {
            InetAddress address = InetAddress.getByName(host.strip());
            boolean metadata = address.getHostAddress().equals("169.254.169.254") || address.getHostAddress().startsWith("fd00:ec2:");
            if (address.isLinkLocalAddress() || address.isAnyLocalAddress() || address.isMulticastAddress() || metadata) {
                return Optional.empty();
            }
            return Optional.of(address);
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** The registry is GHOST's too; its actuator answers this service's registry credential (HTTP basic), not tokens. */
    static List<Target> registries(String urls, String authorization) {
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
            targets.add(new Target(url.getHost() + ":" + REGISTRY_SERVICE + ":" + port, REGISTRY_SERVICE, url.getHost(), port,
                    URI.create(base + "/actuator/health"), URI.create(base + "/actuator/prometheus"), authorization, "UP"));
        }
        return targets;
    }
}
