package dev.ghost.ml.anomaly;

/**
 * One member of the {@link EnsembleDetector}: sees each point once, in time order, and says how
 * surprising it is judging only from the points before it, on an open scale where 0 or less is
 * unremarkable, about 3 is rare for that series and larger is rarer still. Not thread-safe.
 */
interface SurpriseDetector {

    /** The surprise of {@code value} observed at {@code timestampMillis}; then learns from it. */
    double surprise(long timestampMillis, double value);
}
