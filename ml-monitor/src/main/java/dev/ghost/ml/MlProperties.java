package dev.ghost.ml;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import dev.ghost.ml.anomaly.EnsembleDetector;

/**
 * {@code ghost.ml.*}: the ML monitor's settings, bound once and checked at start. (Per-source
 * template miner overrides, {@code ghost.ml.templates.overrides}, are the template service's own.)
 *
 * @param publicUrl  how people reach this ml-monitor: evidence links in alerts point here
 * @param maxSeries  series with a detector and forecaster; the least recently updated are forgotten beyond
 * @param maxSources log sources with a template miner and a burst detector
 */
@ConfigurationProperties("ghost.ml")
@Validated
public record MlProperties(
        @DefaultValue("http://localhost:5080") @NotBlank String publicUrl,
        @DefaultValue("50000") @Min(1) int maxSeries,
        @DefaultValue("1000") @Min(1) int maxSources,
        @DefaultValue @Valid Anomaly anomaly,
        @DefaultValue @Valid Burst burst,
        @DefaultValue @Valid Events events,
        @DefaultValue @Valid Signals signals,
        @DefaultValue @Valid Predict predict) {

    /** @param threshold score at or above which a point is an anomaly signal */
    public record Anomaly(@DefaultValue("" + EnsembleDetector.ALARM_THRESHOLD) @DecimalMin("0") @DecimalMax("1") double threshold) {
    }

    /**
     * @param window   error lines are counted over this sliding window
     * @param minCount fewest lines in a window that can be a burst, however quiet the source usually is
     */
    public record Burst(@DefaultValue("5m") @NotNull Duration window, @DefaultValue("5") @Min(1) int minCount) {
    }

    /** @param dedupTtl an event id seen within this long is a duplicate and dropped */
    public record Events(@DefaultValue("24h") @NotNull Duration dedupTtl) {
    }

    /** @param maxPerKind MAXLEN ~ of each signal stream in Redis */
    public record Signals(@DefaultValue("20000") @Min(1) long maxPerKind) {
    }

    /**
     * @param horizon how far ahead a forecast crossing is reported
     * @param rules   series names matching {@code pattern} are watched for {@code threshold}
     */
    public record Predict(@DefaultValue("1h") @NotNull Duration horizon, List<@Valid Rule> rules) {

        public Predict {
            rules = rules == null ? List.of() : List.copyOf(rules);
        }
    }

    /** @param falling the crossing watched is downwards (free disk), not upwards (usage) */
    public record Rule(@NotBlank String pattern, double threshold, boolean falling, String description) {
    }
}
