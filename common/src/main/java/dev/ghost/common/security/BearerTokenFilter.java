package dev.ghost.common.security;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.ghost.common.problem.ProblemWriter;
import dev.ghost.common.problem.Problems;

/**
 * Authenticates {@code Authorization: Bearer <token>} for this request only (nothing is stored
 * in a session). A token that is present but unknown is refused outright, even on public paths,
 * so a typo is reported instead of silently treated as anonymous.
 */
public class BearerTokenFilter extends OncePerRequestFilter {

    private static final String PREFIX = "Bearer ";

    private final ApiTokenStore tokens;
    private final ProblemWriter problems;

    public BearerTokenFilter(ApiTokenStore tokens, ProblemWriter problems) {
        this.tokens = tokens;
        this.problems = problems;
    }

    /** The caller a SERVICE credential acts for (relay → runner), else the credential's own principal. */
    private static GhostPrincipal actingFor(HttpServletRequest request, GhostPrincipal principal) {
        String name = request.getHeader(CallerHeaders.NAME);
        if (name == null) {
            return principal;
        }
        if (!principal.roles().contains(Role.SERVICE)) {
            throw new SecurityException("caller header from a non-service credential");
        }
        return CallerHeaders.decode(name, request.getHeader(CallerHeaders.ROLES), principal).orElse(principal);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            chain.doFilter(request, response);
            return;
        }
        Optional<GhostPrincipal> principal = tokens.find(header.substring(PREFIX.length()).strip());
        if (principal.isEmpty()) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
            problems.write(request, response, Problems.of(HttpStatus.UNAUTHORIZED, "invalid-token", "Unauthorized",
                    "The bearer token is not valid (unknown or revoked)."));
            return;
        }
        GhostPrincipal caller;
        try {
            caller = actingFor(request, principal.get());
        } catch (IllegalArgumentException e) {
            problems.write(request, response, Problems.of(HttpStatus.BAD_REQUEST, "caller-header-invalid", "Bad request",
                    CallerHeaders.NAME + " / " + CallerHeaders.ROLES + " are malformed."));
            return;
        } catch (SecurityException e) {
            problems.write(request, response, Problems.of(HttpStatus.FORBIDDEN, "caller-header-refused", "Forbidden",
                    CallerHeaders.NAME + " is honoured only from a SERVICE credential."));
            return;
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new GhostAuthentication(caller));
        SecurityContextHolder.setContext(context);
        chain.doFilter(request, response);
    }
}
