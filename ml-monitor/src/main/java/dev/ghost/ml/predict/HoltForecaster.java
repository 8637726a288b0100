package dev.ghost.ml.predict;

/**
 * Holt's linear exponential smoothing (level and trend) for irregularly spaced points, with a
 * prediction interval from the one-step errors: the error variance grows with the horizon as
 * Holt's model implies ({@code 1 + sum_j (alpha + j*alpha*beta)^2}). Daily seasonality matters
 * little for "will the disk fill within the hour", and the anomaly detectors model it already;
 * the forecaster stays small so every figure can have one.
 */
public final class HoltForecaster {

    private final double alpha;
    private final double beta;
    private double level;
    private double trendPerMs;
    private double errorVariance;
    private long lastTimestamp;
    private double stepMs;
    private long seen;

    public HoltForecaster(double alpha, double beta) {
        this.alpha = alpha;
        this.beta = beta;
    }

    public HoltForecaster() {
        this(0.3, 0.1);
    }

    /** A forecast at a horizon: the expected value and a 95% interval. */
    public record Forecast(double expected, double low, double high) {
    }

    /** An independent copy, to reason about outside the lock that guards this one. */
    public HoltForecaster copy() {
        HoltForecaster copy = new HoltForecaster(alpha, beta);
        copy.level = level;
        copy.trendPerMs = trendPerMs;
        copy.errorVariance = errorVariance;
        copy.lastTimestamp = lastTimestamp;
        copy.stepMs = stepMs;
        copy.seen = seen;
        return copy;
    }

    public void observe(long timestampMillis, double value) {
        if (!Double.isFinite(value)) {
            return;
        }
        if (seen == 0) {
            level = value;
            lastTimestamp = timestampMillis;
            seen = 1;
            return;
        }
        long dt = Math.max(1, timestampMillis - lastTimestamp);
        stepMs = stepMs == 0 ? dt : 0.9 * stepMs + 0.1 * dt;
        double predicted = level + trendPerMs * dt;
        double error = value - predicted;
        if (seen >= 3) {
            errorVariance = errorVariance == 0 ? error * error : 0.9 * errorVariance + 0.1 * error * error;
        }
        double previousLevel = level;
        level = alpha * value + (1 - alpha) * predicted;
        double observedTrend = (level - previousLevel) / dt;
        trendPerMs = seen == 1 ? (value - previousLevel) / dt : beta * observedTrend + (1 - beta) * trendPerMs;
        lastTimestamp = timestampMillis;
        seen++;
    }

    public long observations() {
        return seen;
    }

    public long lastTimestamp() {
        return lastTimestamp;
    }

    /** The forecast {@code horizonMs} after the last observation. */
    public Forecast forecast(long horizonMs) {
        double expected = level + trendPerMs * horizonMs;
        double steps = stepMs > 0 ? Math.max(1, horizonMs / stepMs) : 1;
        double growth = 1;
        for (int j = 1; j < Math.min(steps, 10_000); j++) {
            double c = alpha + j * alpha * beta;
            growth += c * c;
        }
        double spread = 1.96 * Math.sqrt(errorVariance * growth);
        return new Forecast(expected, expected - spread, expected + spread);
    }

    /**
     * Milliseconds until the expected value crosses {@code threshold} (upwards when
     * {@code rising}), if that happens within {@code horizonMs}; -1 otherwise.
     */
    public long timeToThreshold(double threshold, boolean rising, long horizonMs) {
        double gap = threshold - level;
        if (rising ? gap <= 0 : gap >= 0) {
            return 0;
        }
        if (trendPerMs == 0 || rising != trendPerMs > 0) {
            return -1;
        }
        long eta = (long) (gap / trendPerMs);
        return eta <= horizonMs ? eta : -1;
    }

    public double level() {
        return level;
    }

    public double trendPerHour() {
        return trendPerMs * 3_600_000.0;
    }
}
