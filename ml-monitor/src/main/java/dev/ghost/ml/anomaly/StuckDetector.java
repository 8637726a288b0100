package dev.ghost.ml.anomaly;

/**
 * A series that repeats exactly the same value for far longer than it ever did before has
 * usually stopped being measured (a stale exporter, a stuck sensor, a frozen counter), which no
 * residual shows: the stuck value is perfectly "normal". Scores the current run of identical
 * values against the longest run seen so far; a series that has never varied is not stuck.
 */
final class StuckDetector implements SurpriseDetector {

    private static final int MIN_HISTORY = 300;
    /** Series that often repeat values (counts, clamped percentages) are left to the other detectors. */
    private static final int MAX_USUAL_RUN = 5;
    /** Decades of surprise at the point where a run becomes longer than expected, and per expected length beyond. */
    private static final double ONSET_SURPRISE = 1.3;
    private static final double SURPRISE_PER_RUN = 3;
    private static final double MAX_SURPRISE = 5;

    private double last = Double.NaN;
    private int run;
    private int longestRun = 1;
    private long seen;

    @Override
    public double surprise(long timestampMillis, double value) {
        if (!Double.isFinite(value)) {
            return 0;
        }
        seen++;
        int expected = Math.max(12, 4 * longestRun);
        if (value == last) {
            run++;
        } else {
            // A run from the very start (an idle disk, a flat line) is the series' usual state, not a fault.
            if (run <= expected || seen <= MIN_HISTORY || run == seen - 1) {
                longestRun = Math.max(longestRun, run);
            }
            run = 1;
        }
        last = value;
        if (seen <= MIN_HISTORY || run <= expected || run == seen || longestRun > MAX_USUAL_RUN) {
            return 0;
        }
        return Math.min(MAX_SURPRISE, ONSET_SURPRISE + SURPRISE_PER_RUN * (run - expected) / expected);
    }
}
