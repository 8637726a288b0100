package dev.ghost.ml.anomaly;

/**
 * Turns a raw surprise statistic into a probability-like score that means the same on every
 * series: how far the statistic is above what this series usually shows, in units of its own
 * spread (an exponentially weighted estimate of mean and variance of {@code log(1 + raw)}),
 * through the normal distribution. A quiet series and a noisy one thus alarm equally rarely,
 * which lets one threshold serve all series.
 */
final class Calibrator {

    private final double alpha;
    private final double minSpread;
    private double mean;
    private double variance;
    private long seen;

    Calibrator(double alpha, double minSpread) {
        this.alpha = alpha;
        this.minSpread = minSpread;
    }

    /** The tail probability complement for {@code raw}, then learns from it. */
    double score(double raw) {
        double x = Math.log(1 + Math.max(0, raw));
        double result = 0;
        if (seen >= 20) {
            double spread = Math.max(minSpread, Math.sqrt(variance));
            result = normalCdf((x - mean) / spread);
        }
        double a = Math.max(alpha, 1.0 / (seen + 1));
        double delta = x - mean;
        mean += a * delta;
        variance = (1 - a) * (variance + a * delta * delta);
        seen++;
        return result;
    }

    static double normalCdf(double z) {
        if (z < -8) {
            return 0;
        }
        if (z > 8) {
            return 1;
        }
        // Abramowitz-Stegun 7.1.26 on erf; accurate to about 1e-7, plenty for ranking surprises.
        double t = 1 / (1 + 0.3275911 * Math.abs(z) / Math.sqrt(2));
        double erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t
                * Math.exp(-z * z / 2);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
