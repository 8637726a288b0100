package dev.ghost.common.security;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Credentials from configuration. {@code admin-token} and {@code service-token} are the usual
 * pair (env {@code GHOST_ADMIN_TOKEN}, {@code GHOST_SERVICE_TOKEN}); {@code tokens} lists more,
 * given by SHA-256 hash so plain secrets need not sit in config files.
 */
@ConfigurationProperties("ghost.security")
public class GhostSecurityProperties {

    /** Plain admin token (all roles). Hashed at start; never logged. */
    private String adminToken = "";

    /** Plain token services use to call each other (SERVICE role). */
    private String serviceToken = "";

    /**
     * Keys of the HMAC under which issued tokens are stored (first: current; more: accepted during a
     * rotation). From the secrets ({@code GHOST_TOKEN_KEY}, {@code GHOST_TOKEN_KEY_PREVIOUS}), never from Redis.
     */
    private List<String> tokenKeys = new ArrayList<>();

    /** Further tokens, by hash. */
    private List<ConfiguredToken> tokens = new ArrayList<>();

    /** Ant-style paths served without a credential besides health and info (e.g. a sign-in page). */
    private List<String> publicPaths = new ArrayList<>();

    public String getAdminToken() {
        return adminToken;
    }

    public void setAdminToken(String adminToken) {
        this.adminToken = adminToken;
    }

    public String getServiceToken() {
        return serviceToken;
    }

    public void setServiceToken(String serviceToken) {
        this.serviceToken = serviceToken;
    }

    public List<String> getTokenKeys() {
        return tokenKeys;
    }

    public void setTokenKeys(List<String> tokenKeys) {
        this.tokenKeys = tokenKeys;
    }

    public List<ConfiguredToken> getTokens() {
        return tokens;
    }

    public void setTokens(List<ConfiguredToken> tokens) {
        this.tokens = tokens;
    }

    public List<String> getPublicPaths() {
        return publicPaths;
    }

    public void setPublicPaths(List<String> publicPaths) {
        this.publicPaths = publicPaths;
    }

    public static class ConfiguredToken {
        private String name;
        private String sha256;
        private Set<Role> roles = EnumSet.of(Role.READ);

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public String getSha256() {
            return sha256;
        }

        public void setSha256(String sha256) {
            this.sha256 = sha256;
        }

        public Set<Role> getRoles() {
            return roles;
        }

        public void setRoles(Set<Role> roles) {
            this.roles = roles;
        }
    }
}
