package dev.ghost.relay.webhook;

import java.util.EnumSet;

import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

import dev.ghost.common.security.GhostAuthentication;
import dev.ghost.common.security.GhostPrincipal;
import dev.ghost.common.security.Role;

/**
 * The identity a verified webhook is submitted under: principal {@code webhook:<secret name>} with
 * the SUBMIT role only, carried to the runner as a short-lived session in the shared Redis session
 * store ({@code X-Auth-Token}), exactly like a session a person opened; so the runner checks roles
 * and records who submitted, and no super-user token is ever forwarded. Deleted once the call is done.
 */
public class WebhookSessions {

    private final SessionRepository<? extends Session> sessions;
    private final WebhookProperties properties;

    public WebhookSessions(SessionRepository<? extends Session> sessions, WebhookProperties properties) {
        this.sessions = sessions;
        this.properties = properties;
    }

    public String open(String secretName) {
        return open(sessions, secretName);
    }

    private <S extends Session> String open(SessionRepository<S> repository, String secretName) {
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new GhostAuthentication(new GhostPrincipal("webhook:" + secretName, EnumSet.of(Role.SUBMIT))));
        S session = repository.createSession();
        session.setAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY, context);
        session.setMaxInactiveInterval(properties.getSessionTtl());
        repository.save(session);
        return session.getId();
    }

    public void close(String sessionId) {
        sessions.deleteById(sessionId);
    }
}
