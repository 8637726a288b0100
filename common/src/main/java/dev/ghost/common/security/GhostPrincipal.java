package dev.ghost.common.security;

import java.io.Serializable;
import java.util.EnumSet;
import java.util.Set;

/** Who is calling: the token's name and its roles (with implied ones expanded). */
public record GhostPrincipal(String name, Set<Role> roles) implements Serializable {

    public GhostPrincipal {
        EnumSet<Role> expanded = EnumSet.noneOf(Role.class);
        roles.forEach(role -> expanded.addAll(role.withImplied()));
        roles = Set.copyOf(expanded);
    }

    @Override
    public String toString() {
        return name;
    }
}
