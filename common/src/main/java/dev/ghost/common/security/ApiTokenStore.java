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
import dev.ghost.common.patch.CanonicalJson;
import dev.ghost.common.redis.RedisKeys;

/**
 * Resolves bearer tokens to principals. Tokens from configuration live in memory (by SHA-256);
 * tokens issued through {@code /auth/tokens} live in one Redis hash keyed by their HMAC (see
 * {@link TokenHasher}), so every service sees them and Redis alone cannot forge one. Lookups are
 * cached briefly to keep Redis (and the HMAC) off the hot path; so is whether an issued token still
 * exists, which sessions opened with it ask on every use.
 */
public class ApiTokenStore {

    static final int MIN_TOKEN_LENGTH = 16;
    private static final String CONFIGURED = "config:";

    private final Map<String, GhostPrincipal> configured = new HashMap<>();
    private final StringRedisTemplate redis;
    private final JsonMapper json;
    private final TokenHasher hasher;
    private final Cache<String, GhostPrincipal> recent = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofSeconds(5))
            .maximumSize(10_000)
            .build();
    private final Cache<String, Boolean> existing = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofSeconds(5))
            .maximumSize(10_000)
            .build();

    public ApiTokenStore(GhostSecurityProperties properties, StringRedisTemplate redis, JsonMapper json) {
        this.redis = redis;
        this.json = json;
        addPlain("admin", properties.adminToken(), Role.ADMIN);
        addPlain("service", properties.serviceToken(), Role.SERVICE);
        for (GhostSecurityProperties.ConfiguredToken token : properties.tokens()) {
            if (token.sha256() == null || !token.sha256().matches("[0-9a-f]{64}")) {
                throw new IllegalStateException("ghost.security.tokens entry '" + token.name()
                        + "' needs sha256 = the 64 lowercase hex digits of the token's SHA-256");
            }
            configured.put(token.sha256(), new GhostPrincipal(token.name(), token.roles(), CONFIGURED + token.name()));
        }
        if (configured.isEmpty()) {
            throw new MissingCredentialsException("No credentials are configured, and GHOST refuses to run open.",
                    "Set GHOST_ADMIN_TOKEN and GHOST_SERVICE_TOKEN (or ghost.security.tokens), or start the stack with "
                            + "./ghost up, which generates them.");
        }
        this.hasher = new TokenHasher(properties.tokenKeys());
    }

    private void addPlain(String name, String token, Role role) {
        if (token == null || token.isEmpty()) {
            return;
        }
        if (token.length() < MIN_TOKEN_LENGTH) {
            throw new MissingCredentialsException("The " + name + " token is shorter than " + MIN_TOKEN_LENGTH + " characters.",
                    "Use a long random token (./ghost up generates one).");
        }
        configured.put(CanonicalJson.sha256Hex(token), new GhostPrincipal(name, EnumSet.of(role), CONFIGURED + name));
    }

    public Optional<GhostPrincipal> find(String token) {
        String digest = CanonicalJson.sha256Hex(token);
        GhostPrincipal known = configured.get(digest);
        if (known != null) {
            return Optional.of(known);
        }
        GhostPrincipal cached = recent.getIfPresent(digest);
        if (cached != null) {
            return Optional.of(cached);
        }
        for (String key : hasher.candidates(token)) {
            Object stored = redis.opsForHash().get(RedisKeys.API_TOKENS, key);
            if (stored != null) {
                IssuedToken issued = json.readValue(stored.toString(), IssuedToken.class);
                GhostPrincipal principal = new GhostPrincipal(issued.name(), issued.roles(), key);
                recent.put(digest, principal);
                return Optional.of(principal);
            }
        }
        return Optional.empty();
    }

    /** Whether the credential that vouched for a principal (e.g. of a session) still stands. */
    public boolean stillValid(GhostPrincipal principal) {
        String credential = principal.credential();
        if (credential == null || credential.startsWith(CONFIGURED)) {
            return true;
        }
        return existing.get(credential, key -> redis.opsForHash().hasKey(RedisKeys.API_TOKENS, key));
    }

    /** Issues a new token; the plain value is returned once and never stored. */
    public NewToken issue(String name, Set<Role> roles, String createdBy) {
        String token = TokenHasher.newToken();
        String key = hasher.hash(token);
        IssuedToken issued = new IssuedToken(key.substring(0, 16), name, roles, Instant.now(), createdBy);
        redis.opsForHash().put(RedisKeys.API_TOKENS, key, json.writeValueAsString(issued));
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
            String key = entry.getKey().toString();
            if (key.startsWith(id) && id.length() >= 16) {
                redis.opsForHash().delete(RedisKeys.API_TOKENS, key);
                recent.invalidateAll(); // the cache is keyed by the token's digest, which the key does not give back
                existing.invalidate(key);
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
