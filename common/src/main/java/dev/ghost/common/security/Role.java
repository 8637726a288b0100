package dev.ghost.common.security;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a credential may do. ADMIN implies every other role; SUBMIT and SERVICE imply READ.
 * Implied roles are expanded into explicit authorities at sign-in, so plain
 * {@code hasRole(..)} checks and actuator's role checks agree without a hierarchy bean.
 */
public enum Role {
    READ,
    SUBMIT,
    SERVICE,
    ADMIN;

    public Set<Role> withImplied() {
        return switch (this) {
            case READ -> EnumSet.of(READ);
            case SUBMIT -> EnumSet.of(SUBMIT, READ);
            case SERVICE -> EnumSet.of(SERVICE, READ);
            case ADMIN -> EnumSet.allOf(Role.class);
        };
    }

    public String authority() {
        return "ROLE_" + name();
    }
}
