package dev.ghost.common.security;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.ghost.common.problem.GhostProblemException;

/**
 * Sessions and tokens, the same at every service. A session lives in Redis (Spring Session) and
 * is addressed by the {@code X-Auth-Token} header, so one opened here works everywhere.
 */
@RestController
@RequestMapping("/auth")
@Tag(name = "auth", description = "Sessions and API tokens")
public class AuthController {

    private final SecurityContextRepository contexts;
    private final ApiTokenStore tokens;

    public AuthController(SecurityContextRepository contexts, ApiTokenStore tokens) {
        this.contexts = contexts;
        this.tokens = tokens;
    }

    /**
     * Opens a session for the caller; answers the session token. Always a new one: a session the
     * request came with is closed first, so no one can hand a victim a session id to sign in to.
     */
    @PostMapping("/session")
    public ResponseEntity<Map<String, Object>> open(HttpServletRequest request, HttpServletResponse response) {
        GhostAuthentication authentication = Callers.current();
        HttpSession existing = request.getSession(false);
        if (existing != null) {
            existing.invalidate();
        }
        HttpSession session = request.getSession(true);
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(authentication);
        SecurityContextHolder.setContext(context);
        contexts.saveContext(context, request, response);
        return ResponseEntity.status(HttpStatus.CREATED).body(Map.of(
                "token", session.getId(),
                "header", "X-Auth-Token",
                "principal", authentication.getName(),
                "roles", authentication.getPrincipal().roles(),
                "expiresAt", Instant.now().plusSeconds(session.getMaxInactiveInterval())));
    }

    @DeleteMapping("/session")
    public ResponseEntity<Void> close(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null) {
            throw new GhostProblemException(HttpStatus.NOT_FOUND, "no-session", "No session",
                    "This request carries no X-Auth-Token session to close.");
        }
        session.invalidate();
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/me")
    public Map<String, Object> me() {
        GhostAuthentication authentication = Callers.current();
        return Map.of("principal", authentication.getName(), "roles", authentication.getPrincipal().roles());
    }

    @PostMapping("/tokens")
    @PreAuthorize("hasRole('ADMIN')")
    public ResponseEntity<ApiTokenStore.NewToken> issue(@Valid @RequestBody TokenRequest body) {
        return ResponseEntity.status(HttpStatus.CREATED).body(tokens.issue(body.name(), body.roles(), Callers.current().getName()));
    }

    @GetMapping("/tokens")
    @PreAuthorize("hasRole('ADMIN')")
    public List<ApiTokenStore.IssuedToken> list() {
        return tokens.list();
    }

    @DeleteMapping("/tokens/{id}")
    @PreAuthorize("hasRole('ADMIN')")
    public ResponseEntity<Void> revoke(@PathVariable String id) {
        if (!tokens.revoke(id)) {
            throw new GhostProblemException(HttpStatus.NOT_FOUND, "token-not-found", "Token not found",
                    "No issued token has id '" + id + "'.");
        }
        return ResponseEntity.noContent().build();
    }

    public record TokenRequest(@NotBlank @Size(max = 100) String name, @NotEmpty Set<Role> roles) {
    }
}
