package dev.ghost.common.config;

import org.springframework.core.env.Environment;

/**
 * Which service and which instance of it this is, as its events, log lines, leases and consumer
 * names say: {@code service} is {@code spring.application.name} (set by {@link GhostService}),
 * {@code id} the Eureka instance id ({@code eureka.instance.instance-id}, which
 * {@code ghost-defaults.yml} makes {@code <host>:<service>:<port>}), or the service's name without one.
 * Spring's and Eureka's keys, not GHOST's: they are read once, here, instead of being copied into a
 * {@code ghost.*} record or read with {@code @Value} wherever an instance names itself.
 *
 * @param service this service's name
 * @param id      this instance's name, unique among the instances of every service
 */
public record GhostInstance(String service, String id) {

    static final String UNNAMED = "app";

    static GhostInstance of(Environment environment) {
        String service = environment.getProperty("spring.application.name", UNNAMED);
        return new GhostInstance(service, environment.getProperty("eureka.instance.instance-id", service));
    }
}
