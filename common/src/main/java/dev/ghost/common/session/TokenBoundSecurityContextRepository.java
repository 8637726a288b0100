package dev.ghost.common.session;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.core.context.DeferredSecurityContext;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.SecurityContextRepository;

import dev.ghost.common.security.ApiTokenStore;
import dev.ghost.common.security.GhostAuthentication;

/**
 * A session lives only as long as the token that opened it: when that token has been revoked, the
 * session is closed the next time it is used (within the token store's few seconds of caching).
 */
public class TokenBoundSecurityContextRepository implements SecurityContextRepository {

    private final SecurityContextRepository sessions;
    private final ApiTokenStore tokens;

    public TokenBoundSecurityContextRepository(SecurityContextRepository sessions, ApiTokenStore tokens) {
        this.sessions = sessions;
        this.tokens = tokens;
    }

    @Override
    @Deprecated
    public SecurityContext loadContext(org.springframework.security.web.context.HttpRequestResponseHolder holder) {
        return checked(holder.getRequest(), sessions.loadDeferredContext(holder.getRequest()).get());
    }

    @Override
    public DeferredSecurityContext loadDeferredContext(HttpServletRequest request) {
        DeferredSecurityContext loaded = sessions.loadDeferredContext(request);
        return new DeferredSecurityContext() {
            private SecurityContext context;

            @Override
            public SecurityContext get() {
                if (context == null) {
                    context = checked(request, loaded.get());
                }
                return context;
            }

            @Override
            public boolean isGenerated() {
                return loaded.isGenerated() || get().getAuthentication() == null;
            }
        };
    }

    private SecurityContext checked(HttpServletRequest request, SecurityContext context) {
        if (context.getAuthentication() instanceof GhostAuthentication authentication && !tokens.stillValid(authentication.getPrincipal())) {
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.invalidate();
            }
            return SecurityContextHolder.createEmptyContext();
        }
        return context;
    }

    @Override
    public void saveContext(SecurityContext context, HttpServletRequest request, HttpServletResponse response) {
        sessions.saveContext(context, request, response);
    }

    @Override
    public boolean containsContext(HttpServletRequest request) {
        return sessions.containsContext(request);
    }
}
