package dev.ghost.ml.classify;

import java.util.Locale;

/** What kind of failure a failed step or an ERROR line shows. */
public enum FailureType {
    TIMEOUT, OUT_OF_MEMORY, PERMISSION, NETWORK, DEPENDENCY, COMPILE, TEST, DISK_FULL, CONFIGURATION, UNKNOWN;

    /** The label as written in the corpus and the API, e.g. {@code out-of-memory}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static FailureType fromLabel(String label) {
        String normalized = label.trim().toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        return switch (normalized) {
            case "OOM", "MEMORY" -> OUT_OF_MEMORY;
            case "DEPENDENCY_RESOLUTION", "RESOLUTION" -> DEPENDENCY;
            case "SYNTAX", "COMPILATION" -> COMPILE;
            case "TEST_FAILURE", "TESTS" -> TEST;
            case "DISK", "DISKFULL" -> DISK_FULL;
            case "CONFIG" -> CONFIGURATION;
            default -> valueOf(normalized);
        };
    }
}
