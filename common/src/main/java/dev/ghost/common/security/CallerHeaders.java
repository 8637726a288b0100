package dev.ghost.common.security;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The identity a service acting for a caller passes on (the relay calling a runner): the caller's
 * name and roles in two headers, beside the service's own SERVICE credential, never the caller's
 * token. Honoured only from a SERVICE principal ({@link BearerTokenFilter}).
 */
public final class CallerHeaders {

    public static final String NAME = "X-Ghost-Caller";
    public static final String ROLES = "X-Ghost-Caller-Roles";

    private CallerHeaders() {
    }

    public static String encodeName(GhostPrincipal caller) {
        return URLEncoder.encode(caller.name(), StandardCharsets.UTF_8);
    }

    public static String encodeRoles(GhostPrincipal caller) {
        return caller.roles().stream().map(Role::name).sorted().collect(Collectors.joining(","));
    }

    /** The caller the headers name; empty when there are none; IllegalArgumentException when they are malformed. */
    public static Optional<GhostPrincipal> decode(String name, String roles, GhostPrincipal service) {
        if (name == null) {
            return Optional.empty();
        }
        Set<Role> granted = EnumSet.noneOf(Role.class);
        for (String role : roles == null ? new String[0] : roles.split(",")) {
            if (!role.isBlank()) {
                granted.add(Role.valueOf(role.strip()));
            }
        }
        String decoded = URLDecoder.decode(name, StandardCharsets.UTF_8);
        if (decoded.isBlank() || decoded.length() > 200) {
            throw new IllegalArgumentException("caller name");
        }
        return Optional.of(new GhostPrincipal(decoded, granted, "via:" + service.name()));
    }
}
