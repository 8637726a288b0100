package dev.ghost.ml.signal;

import java.util.Locale;

/** What a signal is about. */
public enum SignalKind {
    /** A point of a series scored above the alarm threshold. */
    ANOMALY,
    /** Error events or anomalies of one source crowding a sliding window. */
    BURST,
    /** A log template seen for the first time, after the source's warm-up. */
    NEW_TEMPLATE,
    /** A figure forecast to cross its threshold within the horizon. */
    PREDICTION,
    /** A failed patch step or an ERROR line, classified. */
    FAILURE;

    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
