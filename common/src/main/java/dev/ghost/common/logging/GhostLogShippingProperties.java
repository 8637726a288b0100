package dev.ghost.common.logging;

import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Shipping this service's WARN and ERROR lines as {@code log.*} events ({@code ghost.logging.ship.*}).
 *
 * @param enabled       ship at all; read by the auto-configuration's condition, before binding
 * @param queueCapacity lines waiting to be published; beyond it lines are dropped and counted
 */
@ConfigurationProperties("ghost.logging.ship")
@Validated
public record GhostLogShippingProperties(@DefaultValue("true") boolean enabled, @DefaultValue("10000") @Positive int queueCapacity) {
}
