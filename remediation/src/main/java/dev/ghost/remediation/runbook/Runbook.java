package dev.ghost.remediation.runbook;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnore;
import tools.jackson.databind.JsonNode;

import dev.ghost.alerting.model.AlertData;
import dev.ghost.alerting.model.Matchers;

/**
 * A runbook: a named, versioned patch template bound to alert matchers. {@code patch} is a patch
 * (format v1, without {@code id}: each run gets its own) whose strings may hold {@code ${param}}
 * placeholders; each parameter comes from a label of the alert (checked against its pattern) or is
 * fixed. Stored as this record (JSON).
 *
 * @param version   1 for the first text of a runbook, one more for every change
 * @param hash      SHA-256 of the runbook's canonical JSON (without version and bookkeeping): a change is a new hash
 * @param source    {@code api} (PUT /runbooks/{name}) or {@code file:<name>} (the runbooks directory)
 */
public record Runbook(String name, int version, String description, List<String> matchers, Map<String, Parameter> parameters,
        Automatic automatic, JsonNode patch, String hash, String source, Instant updatedAt, String updatedBy) {

    /** The safe alphabet a parameter's value must fit unless the runbook says otherwise: no quotes, spaces, $ or slashes. */
    public static final String DEFAULT_PATTERN = "[A-Za-z0-9][A-Za-z0-9._:-]{0,127}";

    /**
     * @param label   the alert label it is read from (exclusive with {@code value})
     * @param value   a fixed value
     * @param pattern a Java regex the whole value must match (default {@link #DEFAULT_PATTERN})
     * @param example a value used to check the template when the runbook is saved (default: {@code value}, else a guess)
     */
    public record Parameter(String label, String value, String pattern, String example) {

        public String patternOrDefault() {
            return pattern == null || pattern.isEmpty() ? DEFAULT_PATTERN : pattern;
        }
    }

    /**
     * @param enabled        runs without a click when a firing alert matches
     * @param maxRunsPerHour automatic runs per alert group per hour, at most
     */
    public record Automatic(boolean enabled, int maxRunsPerHour) {

        public static final Automatic OFF = new Automatic(false, 1);
    }

    public Runbook {
        matchers = List.copyOf(matchers);
        parameters = parameters == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        automatic = automatic == null ? Automatic.OFF : automatic;
    }

    @JsonIgnore
    public Matchers compiledMatchers() {
        return Matchers.parse(matchers);
    }

    /** Whether this runbook applies to the alert: firing, every matcher matches, every parameter has an allowed value. */
    public boolean matches(AlertData alert) {
        return alert.firing() && compiledMatchers().matches(alert.labelSet()) && values(alert).isPresent();
    }

    /** The parameters' values for this alert; empty when a label is missing or its value is not allowed. */
    public Optional<Map<String, String>> values(AlertData alert) {
        try {
            return Optional.of(valuesOrFail(alert));
        } catch (NotApplicable e) {
            return Optional.empty();
        }
    }

    /** The parameters' values for this alert, or why there are none. */
    public Map<String, String> valuesOrFail(AlertData alert) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
            Parameter parameter = entry.getValue();
            String value = parameter.label() != null ? alert.labels().get(parameter.label()) : parameter.value();
            if (value == null) {
                throw new NotApplicable("the alert has no label '" + parameter.label() + "' (parameter " + entry.getKey() + ")");
            }
            if (!Pattern.compile(parameter.patternOrDefault()).matcher(value).matches()) {
                throw new NotApplicable("label " + parameter.label() + " of the alert does not fit parameter " + entry.getKey()
                        + "'s pattern " + parameter.patternOrDefault() + ": not run");
            }
            values.put(entry.getKey(), value);
        }
        return values;
    }

    /** This runbook cannot be run for an alert, and why. */
    public static final class NotApplicable extends RuntimeException {

        public NotApplicable(String reason) {
            super(reason);
        }
    }
}
