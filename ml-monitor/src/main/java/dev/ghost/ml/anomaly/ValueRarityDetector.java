package dev.ghost.ml.anomaly;

import java.util.Arrays;

/**
 * How rare is the value itself? Its rank among the last {@link #WINDOW} values gives a two-sided
 * empirical tail probability (a conformal p-value, free of any assumption about the
 * distribution); the surprise is its negative decimal logarithm. A value beyond the envelope of
 * everything seen (the highest and lowest values, forgotten over {@link #ENVELOPE_MEMORY} points)
 * adds how far beyond it lies, in inter-decile ranges of the window: a new extreme by a hair is a
 * rank-one value, one ten spreads beyond is far rarer than any rank can say. This is the
 * "spatial anomaly" that NAB's leading detectors add to their sequence models, graded instead of
 * all-or-nothing. It sees spikes, dips, drops to zero and level shifts into new ground; a
 * series whose spikes are its daily routine keeps them in its window and envelope.
 */
final class ValueRarityDetector implements SurpriseDetector {

    /** More than a day at the common 5-minute step, so today's daily peak meets yesterday's. */
    static final int WINDOW = 512;
    private static final int WARM_UP = 100;
    private static final double ENVELOPE_MEMORY = 10_000;
    /** Decades of surprise per inter-decile range beyond the envelope. */
    private static final double BEYOND_WEIGHT = 2;

    private final float[] recent = new float[WINDOW];
    private final float[] sorted = new float[WINDOW];
    private int count;
    private int next;
    private double top = Double.NEGATIVE_INFINITY;
    private double bottom = Double.POSITIVE_INFINITY;

    @Override
    public double surprise(long timestampMillis, double value) {
        if (!Double.isFinite(value)) {
            return 0;
        }
        float v = (float) value;
        double surprise = 0;
        if (count >= WARM_UP) {
            int below = lowerBound(v);
            int upper = upperBound(v);
            // Ties count half on each side (mid-rank), so a value the series repeats is not rare.
            double tail = (Math.min(below, count - upper) + 0.5 * (upper - below) + 0.5) / (count + 1);
            surprise = -Math.log10(Math.min(1, 2 * tail));
            if (value > top || value < bottom) {
                double spread = sorted[(int) (0.9 * (count - 1))] - sorted[(int) (0.1 * (count - 1))];
                // Over a flat window any departure beyond the envelope is enormous, as it should be.
                surprise += BEYOND_WEIGHT * (value > top ? value - top : bottom - value) / (spread + 1e-9 * (1 + Math.abs(value)));
            }
        }
        learn(v);
        return surprise;
    }

    private void learn(float v) {
        if (count == WINDOW) {
            int at = lowerBound(recent[next]);
            System.arraycopy(sorted, at + 1, sorted, at, count - at - 1);
            count--;
        }
        int at = lowerBound(v);
        System.arraycopy(sorted, at, sorted, at + 1, count - at);
        sorted[at] = v;
        count++;
        recent[next] = v;
        next = (next + 1) % WINDOW;
        // The envelope drifts back towards the window's extremes, so one incident does not blunt it for good.
        top = Math.max(v, top == Double.NEGATIVE_INFINITY ? v : top - (top - sorted[count - 1]) / ENVELOPE_MEMORY);
        bottom = Math.min(v, bottom == Double.POSITIVE_INFINITY ? v : bottom + (sorted[0] - bottom) / ENVELOPE_MEMORY);
    }

    /** Index of the first sorted value not below {@code v}. */
    private int lowerBound(float v) {
        int at = Arrays.binarySearch(sorted, 0, count, v);
        if (at < 0) {
            return -at - 1;
        }
        while (at > 0 && sorted[at - 1] == v) {
            at--;
        }
        return at;
    }

    /** Index of the first sorted value above {@code v}. */
    private int upperBound(float v) {
        int at = Arrays.binarySearch(sorted, 0, count, v);
        if (at < 0) {
            return -at - 1;
        }
        while (at < count && sorted[at] == v) {
            at++;
        }
        return at;
    }
}
