package dev.ghost.relay.webhook;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Signing secrets for {@code POST /webhooks/patches} ({@code ghost.relay.webhooks.*}). Several may be
 * active at once, so a secret can be rotated: add the new one, move senders over, remove the old.
 * Env-friendly: {@code GHOST_RELAY_WEBHOOKS_SECRETS_0_NAME}, {@code GHOST_RELAY_WEBHOOKS_SECRETS_0_SECRET}.
 */
@ConfigurationProperties("ghost.relay.webhooks")
public class WebhookProperties {

    static final int MIN_SECRET_LENGTH = 16;

    private List<Secret> secrets = new ArrayList<>();

    /** How far a webhook's timestamp may be from the relay's clock, either way. */
    private Duration tolerance = Duration.ofMinutes(5);

    public List<Secret> getSecrets() {
        return secrets;
    }

    public void setSecrets(List<Secret> secrets) {
        this.secrets = secrets;
    }

    public Duration getTolerance() {
        return tolerance;
    }

    public void setTolerance(Duration tolerance) {
        this.tolerance = tolerance;
    }

    public static class Secret {

        /** Names the sender; webhooks signed with this secret are submitted as principal {@code webhook:<name>}. */
        private String name;

        private String secret;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public String getSecret() {
            return secret;
        }

        public void setSecret(String secret) {
            this.secret = secret;
        }

        /** Never the secret itself. */
        @Override
        public String toString() {
            return name;
        }
    }
}
