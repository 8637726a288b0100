package dev.ghost.common.security;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.data.redis.core.StringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import dev.ghost.common.config.MissingCredentialsException;
import dev.ghost.common.redis.RedisKeys;

/**
 * Resolves bearer tokens to principals. Tokens from configuration live in memory; tokens issued
 * through {@code /auth/tokens} live in one Redis hash keyed by SHA-256, so every service sees
 * them. Positive Redis lookups are cached briefly to keep Redis off the hot path.
 */
public class ApiTokenStore {

    static final int MIN_TOKEN_LENGTH = 16;

    private final Map<String, GhostPrincipal> configured = new HashMap<>();
    private final StringRedisTemplate redis;
    private final JsonMapper json;
    private final Cache<String, GhostPrincipal> recent = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofSeconds(5))
            .maximumSize(10_000)
            .build();

    public ApiTokenStore(GhostSecurityProperties properties, StringRedisTemplate redis, JsonMapper json) {
        this.redis = redis;
        this.json = json;
        addPlain("admin", properties.getAdminToken(), Role.ADMIN);
        addPlain("service", properties.getServiceToken(), Role.SERVICE);
        for (GhostSecurityProperties.ConfiguredToken token : properties.getTokens()) {
            if (token.getSha256() == null || !token.getSha256().matches("[0-9a-f]{64}")) {
                throw new IllegalStateException("ghost.security.tokens entry '" + token.getName()
                        + "' needs sha256 = the 64 lowercase hex digits of the token's SHA-256");
            }
            configured.put(token.getSha256(), new GhostPrincipal(token.getName(), token.getRoles()));
        }
        if (configured.isEmpty()) {
            throw new MissingCredentialsException("No credentials are configured, and GHOST refuses to run open.",
                    "Set GHOST_ADMIN_TOKEN and GHOST_SERVICE_TOKEN (or ghost.security.tokens), or start the stack with "
                            + "./ghost up, which generates them.");
        }
    }

    private void addPlain(String name, String token, Role role) {
        if (token == null || token.isEmpty()) {
            return;
        }
        if (token.length() < MIN_TOKEN_LENGTH) {
            throw new MissingCredentialsException("The " + name + " token is shorter than " + MIN_TOKEN_LENGTH + " characters.",
                    "Use a long random token (./ghost up generates one).");
        }
        configured.put(TokenHashes.hash(token), new GhostPrincipal(name, EnumSet.of(role)));
    }

    public Optional<GhostPrincipal> find(String token) {
        String hash = TokenHashes.hash(token);
        GhostPrincipal known = configured.get(hash);
        if (known != null) {
            return Optional.of(known);
        }
        GhostPrincipal cached = recent.getIfPresent(hash);
        if (cached != null) {
            return Optional.of(cached);
        }
        Object stored = redis.opsForHash().get(RedisKeys.API_TOKENS, hash);
        if (stored == null) {
            return Optional.empty();
        }
        IssuedToken issued = json.readValue(stored.toString(), IssuedToken.class);
        GhostPrincipal principal = new GhostPrincipal(issued.name(), issued.roles());
        recent.put(hash, principal);
        return Optional.of(principal);
    }

    /** Issues a new token; the plain value is returned once and never stored. */
    public NewToken issue(String name, Set<Role> roles, String createdBy) {
        String token = TokenHashes.newToken();
        String hash = TokenHashes.hash(token);
        IssuedToken issued = new IssuedToken(hash.substring(0, 16), name, roles, Instant.now(), createdBy);
        redis.opsForHash().put(RedisKeys.API_TOKENS, hash, json.writeValueAsString(issued));
        return new NewToken(token, issued);
    }

    public List<IssuedToken> list() {
        return redis.opsForHash().values(RedisKeys.API_TOKENS).stream()
                .map(value -> json.readValue(value.toString(), IssuedToken.class))
                .sorted(Comparator.comparing(IssuedToken::createdAt))
                .toList();
    }

    public boolean revoke(String id) {
        for (Map.Entry<Object, Object> entry : redis.opsForHash().entries(RedisKeys.API_TOKENS).entrySet()) {
            String hash = entry.getKey().toString();
            if (hash.startsWith(id) && id.length() >= 16) {
                redis.opsForHash().delete(RedisKeys.API_TOKENS, hash);
                recent.invalidate(hash);
                return true;
            }
        }
        return false;
    }

    /** A token issued through the API, as stored and listed (no secret in it). */
    public record IssuedToken(String id, String name, Set<Role> roles, Instant createdAt, String createdBy) {
    }

    public record NewToken(String token, IssuedToken details) {
    }
}
