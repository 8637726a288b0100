package dev.ghost.common.security;

import java.util.Comparator;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** An authenticated caller. Holds no secret, so it may live in a shared Redis session. */
public class GhostAuthentication extends AbstractAuthenticationToken {

    private final GhostPrincipal principal;

    public GhostAuthentication(GhostPrincipal principal) {
        super(principal.roles().stream().sorted(Comparator.naturalOrder())
                .map(role -> new SimpleGrantedAuthority(role.authority())).toList());
        this.principal = principal;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public GhostPrincipal getPrincipal() {
        return principal;
    }

    @Override
    public String getName() {
        return principal.name();
    }
}
