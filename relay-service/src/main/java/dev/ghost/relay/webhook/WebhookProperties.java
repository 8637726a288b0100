package dev.ghost.relay.webhook;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Signing secrets for {@code POST /webhooks/patches} ({@code ghost.relay.webhooks.*}). Several may be
 * active at once, so a secret can be rotated: add the new one, move senders over, remove the old.
 * Env-friendly: {@code GHOST_RELAY_WEBHOOKS_SECRETS_0_NAME}, {@code GHOST_RELAY_WEBHOOKS_SECRETS_0_SECRET}.
 * Each secret is checked when the verifier is built: a name of 1-64 letters, digits, {@code . _ -}, and at least
 * {@value #MIN_SECRET_LENGTH} characters of secret.
 *
 * @param secrets   the secrets webhooks may be signed with
 * @param tolerance how far a webhook's timestamp may be from the relay's clock, either way
 */
@ConfigurationProperties("ghost.relay.webhooks")
@Validated
public record WebhookProperties(@DefaultValue List<Secret> secrets, @DefaultValue("5m") @NotNull Duration tolerance) {

    static final int MIN_SECRET_LENGTH = 16;

    public WebhookProperties {
        secrets = List.copyOf(secrets);
    }

    /**
     * @param name   names the sender; webhooks signed with this secret are submitted as principal {@code webhook:<name>}
     * @param secret the shared secret
     */
    public record Secret(String name, String secret) {

        /** Never the secret itself. */
        @Override
        public String toString() {
            return name;
        }
    }
}
