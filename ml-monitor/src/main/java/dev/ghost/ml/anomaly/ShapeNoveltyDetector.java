package dev.ghost.ml.anomaly;

import java.util.SplittableRandom;

/**
 * Nearest-neighbour context detector: how unlike anything seen before is the shape of the last
 * few points? The shape is the vector of the last {@code WIDTH} first differences in units of
 * their typical size, so it ignores the level and sees changes of rhythm, frequency and
 * roughness that stay within the usual range - a stuck sensor, a season that flips, a signal
 * gone noisy. The past is a fixed-size reservoir sample of earlier shapes (bounded memory); the
 * distance to the {@code K}-th nearest is the raw surprise, calibrated per series.
 */
public final class ShapeNoveltyDetector implements AnomalyDetector {

    static final int WIDTH = 8;
    static final int MEMORY = 128;
    private static final int K = 3;

    private final float[] window = new float[WIDTH];
    private final float[][] reservoir = new float[MEMORY][];
    private final Calibrator calibrator = new Calibrator(0.002, 0.25);
    private final SplittableRandom random = new SplittableRandom(7);
    private double previous = Double.NaN;
    private double typicalStep;
    private long seen;
    private long shapes;

    @Override
    public double score(long timestampMillis, double value) {
        if (!Double.isFinite(value)) {
            return 0;
        }
        if (Double.isNaN(previous)) {
            previous = value;
            return 0;
        }
        double step = value - previous;
        previous = value;
        seen++;
        double unit = typicalStep > 0 ? typicalStep : Math.abs(step) + 1e-9;
        typicalStep += Math.max(0.005, 1.0 / seen) * (Math.min(Math.abs(step), 6 * unit) - typicalStep);
        System.arraycopy(window, 1, window, 0, WIDTH - 1);
        window[WIDTH - 1] = (float) Math.max(-8, Math.min(8, step / Math.max(unit, 1e-9)));
        if (seen < WIDTH) {
            return 0;
        }
        double surprise = shapes >= K * 4L ? kthNearest() : 0;
        double score = shapes >= 50 ? calibrator.score(surprise) : 0;
        remember();
        return score;
    }

    private double kthNearest() {
        double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        int filled = (int) Math.min(shapes, MEMORY);
        for (int s = 0; s < filled; s++) {
            float[] shape = reservoir[s];
            double distance = 0;
            for (int i = 0; i < WIDTH && distance < best[K - 1]; i++) {
                double d = shape[i] - window[i];
                distance += d * d;
            }
            if (distance < best[K - 1]) {
                int at = K - 1;
                while (at > 0 && best[at - 1] > distance) {
                    best[at] = best[at - 1];
                    at--;
                }
                best[at] = distance;
            }
        }
        return Math.sqrt(best[K - 1] / WIDTH);
    }

    private void remember() {
        shapes++;
        if (shapes <= MEMORY) {
            reservoir[(int) shapes - 1] = window.clone();
        } else {
            long slot = random.nextLong(shapes);
            if (slot < MEMORY) {
                System.arraycopy(window, 0, reservoir[(int) slot], 0, WIDTH);
            }
        }
    }
}
