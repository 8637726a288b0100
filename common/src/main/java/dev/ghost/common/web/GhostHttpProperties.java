package dev.ghost.common.web;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * HTTP limits of every GHOST web service ({@code ghost.http.*}).
 *
 * @param maxBodySize bigger request bodies are refused with 413 before they are read ({@link BodySizeLimitFilter})
 */
@ConfigurationProperties("ghost.http")
@Validated
public record GhostHttpProperties(@DefaultValue("1MB") @NotNull DataSize maxBodySize) {
}
