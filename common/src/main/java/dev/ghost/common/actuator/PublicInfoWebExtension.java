package dev.ghost.common.actuator;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import org.springframework.boot.actuate.info.InfoEndpoint;

import dev.ghost.common.security.Role;

/**
 * {@code /actuator/info} is public, so that a load balancer or a person can see what runs; but
 * only a reader (role READ) sees everything (build, git commit, Java, OS, configured
 * {@code info.*}). Anyone else sees the build's name and version: enough to tell which release
 * answers, nothing that helps an attacker pick an exploit.
 */
@EndpointWebExtension(endpoint = InfoEndpoint.class)
public class PublicInfoWebExtension {

    private final InfoEndpoint info;

    public PublicInfoWebExtension(InfoEndpoint info) {
        this.info = info;
    }

    @ReadOperation
    public Map<String, Object> info(SecurityContext caller) {
        Map<String, Object> everything = info.info();
        if (caller.isUserInRole(Role.READ.name())) {
            return everything;
        }
        Map<String, Object> build = new LinkedHashMap<>();
        if (everything.get("build") instanceof Map<?, ?> known) {
            copy(known, "name", build);
            copy(known, "version", build);
        }
        return build.isEmpty() ? Map.of() : Map.of("build", build);
    }

    private static void copy(Map<?, ?> from, String key, Map<String, Object> to) {
        Object value = from.get(key);
        if (value != null) {
            to.put(key, value);
        }
    }
}
