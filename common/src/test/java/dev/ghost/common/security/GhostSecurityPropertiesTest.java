package dev.ghost.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.ghost.common.test.BoundProperties;

/** {@code ghost.security.*} binds as documented: names, defaults, and nothing to change once bound. */
class GhostSecurityPropertiesTest {

    @Test
    void bindsEveryKeyAndATokenWithoutRolesMayRead() {
        GhostSecurityProperties properties = BoundProperties.bind(GhostSecurityProperties.class, Map.of(
                "admin-token", "admin-token-0123456789",
                "service-token", "service-token-0123456789",
                "token-keys", "current-key,previous-key",
                "tokens[0].name", "ci",
                "tokens[0].sha256", "ab".repeat(32),
                "tokens[1].name", "deployer",
                "tokens[1].sha256", "cd".repeat(32),
                "tokens[1].roles", "SUBMIT,READ",
                "public-paths", "/,/assets/**"));
        assertThat(properties.adminToken()).isEqualTo("admin-token-0123456789");
        assertThat(properties.serviceToken()).isEqualTo("service-token-0123456789");
        assertThat(properties.tokenKeys()).containsExactly("current-key", "previous-key");
        assertThat(properties.tokens()).extracting(GhostSecurityProperties.ConfiguredToken::name).containsExactly("ci", "deployer");
        assertThat(properties.tokens().get(0).roles()).isEqualTo(Set.of(Role.READ));
        assertThat(properties.tokens().get(1).roles()).isEqualTo(Set.of(Role.SUBMIT, Role.READ));
        assertThat(properties.publicPaths()).containsExactly("/", "/assets/**");
        assertThat(properties.apiTokens()).isTrue();
        assertThatThrownBy(() -> properties.tokens().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void nothingConfiguredIsEmptyNotNull() {
        GhostSecurityProperties properties = BoundProperties.defaults(GhostSecurityProperties.class);
        assertThat(properties.adminToken()).isEmpty();
        assertThat(properties.serviceToken()).isEmpty();
        assertThat(properties.tokenKeys()).isEmpty();
        assertThat(properties.tokens()).isEmpty();
        assertThat(properties.publicPaths()).isEmpty();
    }

    @Test
    void neverPrintsASecret() {
        GhostSecurityProperties properties = BoundProperties.bind(GhostSecurityProperties.class, Map.of(
                "admin-token", "admin-token-0123456789", "service-token", "service-token-0123456789", "token-keys", "key-0123456789"));
        assertThat(properties.toString()).doesNotContain("admin-token-0123456789", "service-token-0123456789", "key-0123456789");
    }
}
