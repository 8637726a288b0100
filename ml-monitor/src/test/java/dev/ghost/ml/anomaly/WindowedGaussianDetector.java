package dev.ghost.ml.anomaly;

/**
 * The simplest honest baseline, as NAB's "windowed Gaussian": the tail probability of the value
 * under a normal distribution fitted to the last {@code window} values. Used to put the standard
 * detector's speed and score in proportion, not in production.
 */
public final class WindowedGaussianDetector implements AnomalyDetector {

    private final double[] ring;
    private int filled;
    private int next;
    private double sum;
    private double sumSquares;

    public WindowedGaussianDetector(int window) {
        this.ring = new double[window];
    }

    @Override
    public double score(long timestampMillis, double value) {
        double score = 0;
        if (filled >= 10) {
            double mean = sum / filled;
            double sd = Math.sqrt(Math.max(1e-12, sumSquares / filled - mean * mean));
            score = 2 * normalCdf(Math.abs(value - mean) / sd) - 1;
        }
        if (filled == ring.length) {
            sum -= ring[next];
            sumSquares -= ring[next] * ring[next];
        } else {
            filled++;
        }
        ring[next] = value;
        sum += value;
        sumSquares += value * value;
        next = (next + 1) % ring.length;
        return score;
    }

    static double normalCdf(double z) {
        if (z < -8) {
            return 0;
        }
        if (z > 8) {
            return 1;
        }
        // Abramowitz-Stegun 7.1.26 on erf; accurate to about 1e-7, plenty for a baseline.
        double t = 1 / (1 + 0.3275911 * Math.abs(z) / Math.sqrt(2));
        double erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t
                * Math.exp(-z * z / 2);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
