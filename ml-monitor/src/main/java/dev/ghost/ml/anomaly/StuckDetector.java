package dev.ghost.ml.anomaly;

/**
 * A series that repeats exactly the same value for far longer than it ever did before has
 * usually stopped being measured (a stale exporter, a stuck sensor, a frozen counter), which no
 * residual shows: the stuck value is perfectly "normal". Scores the current run of identical
 * values against the longest run seen so far.
 */
public final class StuckDetector implements AnomalyDetector {

    private static final int MIN_HISTORY = 300;
    /** Series that often repeat values (counts, clamped percentages) are left to the other detectors. */
    private static final int MAX_USUAL_RUN = 5;
    private static final double MAX_SCORE = 0.99999;

    private double last = Double.NaN;
    private int run;
    private int longestRun = 1;
    private long seen;

    @Override
    public double score(long timestampMillis, double value) {
        if (!Double.isFinite(value)) {
            return 0;
        }
        seen++;
        int expected = Math.max(12, 4 * longestRun);
        if (value == last) {
            run++;
        } else {
            if (run <= expected || seen <= MIN_HISTORY) {
                longestRun = Math.max(longestRun, run);
            }
            run = 1;
        }
        last = value;
        if (seen <= MIN_HISTORY || run <= expected || longestRun > MAX_USUAL_RUN) {
            return 0;
        }
        return Math.min(MAX_SCORE, 1 - 0.5 * Math.pow(0.1, 1 + 3.0 * (run - expected) / expected));
    }
}
