package dev.ghost.common.security;

import java.util.List;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Credentials from configuration ({@code ghost.security.*}). {@code admin-token} and
 * {@code service-token} are the usual pair (env {@code GHOST_ADMIN_TOKEN}, {@code GHOST_SERVICE_TOKEN});
 * {@code tokens} lists more, given by SHA-256 hash so plain secrets need not sit in config files.
 * Checked when the token store is built: a service with no credential, a plain token shorter than
 * 16 characters or a {@code tokens} entry without a well-formed hash does not start.
 *
 * @param adminToken   plain admin token (all roles); hashed at start, never logged
 * @param serviceToken plain token services use to call each other (SERVICE role)
 * @param tokenKeys    keys of the HMAC under which issued tokens are stored (first: current; more: accepted during a
 *                     rotation); from the secrets ({@code GHOST_TOKEN_KEY}, {@code GHOST_TOKEN_KEY_PREVIOUS}), never from Redis
 * @param tokens       further tokens, by hash
 * @param publicPaths  Ant-style paths served without a credential besides health and info (e.g. a sign-in page)
 * @param apiTokens    this security model at all; the registry, which speaks HTTP basic to Eureka clients, turns it
 *                     off. Read by the auto-configurations' conditions, before binding
 */
@ConfigurationProperties("ghost.security")
public record GhostSecurityProperties(
        @DefaultValue("") String adminToken,
        @DefaultValue("") String serviceToken,
        @DefaultValue List<String> tokenKeys,
        @DefaultValue List<ConfiguredToken> tokens,
        @DefaultValue List<String> publicPaths,
        @DefaultValue("true") boolean apiTokens) {

    public GhostSecurityProperties {
        tokenKeys = List.copyOf(tokenKeys);
        tokens = List.copyOf(tokens);
        publicPaths = List.copyOf(publicPaths);
    }

    /** Never the tokens or keys. */
    @Override
    public String toString() {
        return "GhostSecurityProperties[tokens=" + tokens + ", publicPaths=" + publicPaths + "]";
    }

    /**
     * A token known by its hash ({@code ghost.security.tokens[i].*}).
     *
     * @param name   names its holder (the principal)
     * @param sha256 the 64 lowercase hex digits of the token's SHA-256
     * @param roles  what it may do
     */
    public record ConfiguredToken(String name, String sha256, @DefaultValue("READ") Set<Role> roles) {

        public ConfiguredToken {
            roles = Set.copyOf(roles);
        }
    }
}
