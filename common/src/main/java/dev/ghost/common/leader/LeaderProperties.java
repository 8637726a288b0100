package dev.ghost.common.leader;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code ghost.leader.*}: how the members of a service that runs in pairs agree on the one that acts.
 *
 * @param enabled            elect a leader (off: this member always acts, as a single instance does)
 * @param lease              how long the leader's lock lives in Redis without renewal: a leader that dies is
 *                           replaced after at most this long (plus one heartbeat)
 * @param heartbeat          how often the leader renews its lock, and how long a standby waits for it each try
 * @param retry              pause of a standby between two tries
 * @param standbyUnavailable a standby tells the registry it is OUT_OF_SERVICE, so load-balanced callers reach
 *                           only the leader (for services whose API answers from the leader's state)
 */
@ConfigurationProperties("ghost.leader")
@Validated
public record LeaderProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("6s") @NotNull Duration lease,
        @DefaultValue("1s") @NotNull Duration heartbeat,
        @DefaultValue("500ms") @NotNull Duration retry,
        @DefaultValue("false") boolean standbyUnavailable) {

    public LeaderProperties {
        if (heartbeat.multipliedBy(2).compareTo(lease) >= 0) {
            throw new IllegalArgumentException("ghost.leader.heartbeat (" + heartbeat + ") must be under half the lease (" + lease
                    + "): the leader renews its lock at least twice before it would expire");
        }
    }
}
