package dev.ghost.common.security;

import java.io.Serializable;
import java.util.EnumSet;
import java.util.Set;

/**
 * Who is calling: the token's name and its roles (with implied ones expanded), and which credential
 * vouched for it ({@code credential}: the issued token's record key, {@code config:<name>} for a
 * configured one, null for a principal no credential names), so a session dies with its token.
 */
public record GhostPrincipal(String name, Set<Role> roles, String credential) implements Serializable {

    public GhostPrincipal {
        EnumSet<Role> expanded = EnumSet.noneOf(Role.class);
        roles.forEach(role -> expanded.addAll(role.withImplied()));
        roles = Set.copyOf(expanded);
    }

    public GhostPrincipal(String name, Set<Role> roles) {
        this(name, roles, null);
    }

    @Override
    public String toString() {
        return name;
    }
}
