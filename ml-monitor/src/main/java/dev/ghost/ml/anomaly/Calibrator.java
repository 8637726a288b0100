package dev.ghost.ml.anomaly;

/**
 * Turns a raw surprise statistic into a surprise that means the same on every series: how far
 * the statistic is above what this series usually shows, in units of its own spread (an
 * exponentially weighted estimate of mean and variance of {@code log(1 + raw)}). A quiet series
 * and a noisy one thus alarm equally rarely, which lets one threshold serve all series. Not
 * bounded above: a residual of 50 spreads must outrank one of 8, or every big event would tie.
 */
final class Calibrator {

    private static final int WARM_UP = 20;

    private final double alpha;
    private final double minSpread;
    private double mean;
    private double variance;
    private long seen;

    Calibrator(double alpha, double minSpread) {
        this.alpha = alpha;
        this.minSpread = minSpread;
    }

    /** How many of its usual spreads {@code raw} lies above the usual (0 while warming up), then learns from it. */
    double surprise(double raw) {
        double x = Math.log(1 + Math.max(0, raw));
        double result = 0;
        if (seen >= WARM_UP) {
            result = (x - mean) / Math.max(minSpread, Math.sqrt(variance));
        }
        double a = Math.max(alpha, 1.0 / (seen + 1));
        double delta = x - mean;
        mean += a * delta;
        variance = (1 - a) * (variance + a * delta * delta);
        seen++;
        return result;
    }
}
