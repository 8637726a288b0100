package dev.ghost.common.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * This service's own registry credential ({@code ghost.discovery.*}): good only for registering
 * instances of its own application. Both must be set while the service registers with Eureka.
 *
 * @param user     the application it registers as; {@code ghost-defaults.yml} makes it {@code spring.application.name}
 * @param password its registry password: env {@code EUREKA_CLIENT_PASSWORD} ({@code ./ghost up} generates one per service)
 */
@ConfigurationProperties("ghost.discovery")
public record GhostDiscoveryProperties(@DefaultValue("") String user, @DefaultValue("") String password) {

    /** Never the password. */
    @Override
    public String toString() {
        return "GhostDiscoveryProperties[user=" + user + "]";
    }
}
