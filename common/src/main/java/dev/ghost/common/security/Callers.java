package dev.ghost.common.security;

import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** The authenticated caller of the current request. */
public final class Callers {

    private Callers() {
    }

    public static GhostAuthentication current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof GhostAuthentication ghost) {
            return ghost;
        }
        throw new AuthenticationCredentialsNotFoundException("no GHOST credential on this request");
    }
}
