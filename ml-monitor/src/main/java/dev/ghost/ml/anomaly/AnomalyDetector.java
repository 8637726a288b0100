package dev.ghost.ml.anomaly;

/**
 * An online detector for one series: sees each point once, in time order, and returns how
 * anomalous it is in [0, 1] judging only from the points before it. Not thread-safe.
 */
public interface AnomalyDetector {

    /** Scores {@code value} observed at {@code timestampMillis}, then learns from it. */
    double score(long timestampMillis, double value);
}
