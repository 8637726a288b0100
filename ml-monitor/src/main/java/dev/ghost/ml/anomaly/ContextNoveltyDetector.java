package dev.ghost.ml.anomaly;

/**
 * How unlike every context seen before is the recent stretch of the series? A context is the
 * last {@link #WIDTH} values: level, shape and rhythm together. Contexts are remembered as
 * prototypes, an online bounded clustering in the spirit of adaptive resonance theory (ARTime)
 * and of NAB's nearest-neighbour context detector (KNN-CAD): a context within the vigilance radius
 * of its nearest prototype refines it, one further away becomes a new prototype, the least
 * recently matched one making room. Distances (root mean square differences) are measured in
 * noise distances, how far two windows of one pattern stay apart from noise alone, estimated from
 * second differences, which a smooth signal hardly moves; the vigilance radius is a few of them
 * (and at least 2% of the range seen so far), so a noisy series is not all novelty and a smooth
 * one is remembered finely. The raw surprise is the distance to the nearest prototype in noise
 * distances, calibrated per series. Unlike a random sample of the past, the memory keeps what was
 * seen once: a pattern that comes back (a nightly job's spike, the edge of a square wave) is
 * familiar the second time.
 */
final class ContextNoveltyDetector implements SurpriseDetector {

    static final int WIDTH = 8;
    static final int PROTOTYPES = 96;
    /** A context further than this many noise distances from every prototype starts a new one. */
    private static final double VIGILANCE = 3;
    private static final double MIN_VIGILANCE = 0.02;
    private static final int WARM_UP_CONTEXTS = 4 * WIDTH;

    /** Prototype p is {@code prototypes[p * WIDTH, (p + 1) * WIDTH)}: one array, no per-prototype headers. */
    private final float[] prototypes = new float[PROTOTYPES * WIDTH];
    private final int[] counts = new int[PROTOTYPES];
    private final int[] lastMatched = new int[PROTOTYPES];
    private final float[] context = new float[WIDTH];
    private final Calibrator calibrator = new Calibrator(0.002, 0.25);
    private int prototypeCount;
    private int contexts;
    private long seen;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private double previous = Double.NaN;
    private double previousStep = Double.NaN;
    private double meanAbsCurvature;

    @Override
    public double surprise(long timestampMillis, double value) {
        if (!Double.isFinite(value)) {
            return 0;
        }
        System.arraycopy(context, 1, context, 0, WIDTH - 1);
        context[WIDTH - 1] = (float) value;
        seen++;
        learnNoise(value);
        double range = max - min;
        min = Math.min(min, value);
        max = Math.max(max, value);
        if (seen < WIDTH || range <= 0) {
            return 0;
        }
        contexts++;
        int nearest = -1;
        double distance = Double.MAX_VALUE;
        for (int p = 0; p < prototypeCount; p++) {
            double d = distance(context, p * WIDTH, range);
            if (d < distance) {
                distance = d;
                nearest = p;
            }
        }
        double noise = Math.max(noiseDistance() / range, 1e-3);
        double surprise = nearest >= 0 && contexts > WARM_UP_CONTEXTS ? calibrator.surprise(distance / noise) : 0;
        learn(nearest, distance, noise);
        return surprise;
    }

    /**
     * The distance two windows of the same pattern keep from noise alone: sqrt(2) noise deviations,
     * the deviation estimated from the mean absolute second difference (sqrt(12 / pi) = 1.95
     * deviations for Gaussian noise).
     */
    private double noiseDistance() {
        return meanAbsCurvature / Math.sqrt(12 / Math.PI) * Math.sqrt(2);
    }

    private void learnNoise(double value) {
        if (!Double.isNaN(previous)) {
            double step = value - previous;
            if (!Double.isNaN(previousStep)) {
                double curvature = Math.abs(step - previousStep);
                // A spike's own curvature is no noise: bounded, it cannot widen the radius that should flag it.
                double bounded = meanAbsCurvature == 0 ? curvature : Math.min(curvature, 6 * meanAbsCurvature);
                meanAbsCurvature += Math.max(0.01, 1.0 / seen) * (bounded - meanAbsCurvature);
            }
            previousStep = step;
        }
        previous = value;
    }

    private void learn(int nearest, double distance, double noise) {
        if (nearest >= 0 && distance <= Math.max(MIN_VIGILANCE, VIGILANCE * noise)) {
            counts[nearest]++;
            lastMatched[nearest] = contexts;
            // A prototype is the mean of its first 20 contexts, then follows its recent ones.
            float rate = 1f / Math.min(counts[nearest], 20);
            for (int i = 0, at = nearest * WIDTH; i < WIDTH; i++, at++) {
                prototypes[at] += rate * (context[i] - prototypes[at]);
            }
            return;
        }
        int slot = prototypeCount < PROTOTYPES ? prototypeCount++ : leastRecentlyMatched();
        System.arraycopy(context, 0, prototypes, slot * WIDTH, WIDTH);
        counts[slot] = 1;
        lastMatched[slot] = contexts;
    }

    private int leastRecentlyMatched() {
        int oldest = 0;
        for (int p = 1; p < PROTOTYPES; p++) {
            if (lastMatched[p] < lastMatched[oldest]) {
                oldest = p;
            }
        }
        return oldest;
    }

    /** Root mean square difference between the context and the prototype at {@code offset}, in ranges seen before this point. */
    private double distance(float[] window, int offset, double range) {
        double sum = 0;
        for (int i = 0; i < WIDTH; i++) {
            double d = (window[i] - prototypes[offset + i]) / range;
            sum += d * d;
        }
        return Math.sqrt(sum / WIDTH);
    }
}
