package dev.ghost.ml.anomaly;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Small generated series for the detectors' unit tests: 2,000 points at 5-minute steps of
 * Gaussian noise around 100 (deviation 5), changed from {@link #ONSET} on in one way each.
 */
final class Scenarios {

    static final int LENGTH = 2000;
    static final int ONSET = 1500;
    /** Points every member has learned from before its surprises are judged. */
    static final int WARM_UP = 300;
    static final long START = 1_700_000_000_000L;
    static final long STEP = 300_000L;
    static final double ALARM = EnsembleDetector.ALARM_SURPRISE;

    private Scenarios() {
    }

    static double[] noise(long seed) {
        Random random = new Random(seed);
        double[] values = new double[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            values[i] = 100 + 5 * random.nextGaussian();
        }
        return values;
    }

    /** One point 12 deviations up. */
    static double[] spike(long seed) {
        double[] values = noise(seed);
        values[ONSET] += 60;
        return values;
    }

    /** Six deviations up from the onset on. */
    static double[] levelShift(long seed) {
        double[] values = noise(seed);
        for (int i = ONSET; i < LENGTH; i++) {
            values[i] += 30;
        }
        return values;
    }

    /** A sine of period 48 points turning into one of period 12, same range, little noise. */
    static double[] frequencyChange(long seed) {
        Random random = new Random(seed);
        double[] values = new double[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            values[i] = 100 + 20 * Math.sin(2 * Math.PI * i / (i < ONSET ? 48.0 : 12.0)) + random.nextGaussian();
        }
        return values;
    }

    static double[] flatLine() {
        double[] values = new double[LENGTH];
        Arrays.fill(values, 42);
        return values;
    }

    /** Noise that freezes at its last value: a stuck exporter. */
    static double[] goneFlat(long seed) {
        double[] values = noise(seed);
        for (int i = ONSET; i < LENGTH; i++) {
            values[i] = values[ONSET - 1];
        }
        return values;
    }

    static double[] surprises(Supplier<? extends SurpriseDetector> detectors, double[] values) {
        SurpriseDetector detector = detectors.get();
        double[] surprises = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            surprises[i] = detector.surprise(START + i * STEP, values[i]);
        }
        return surprises;
    }

    /** Index of the first surprise at or above the alarm level in [from, to), or -1. */
    static int firstAlarm(double[] surprises, int from, int to) {
        for (int i = from; i < to; i++) {
            if (surprises[i] >= ALARM) {
                return i;
            }
        }
        return -1;
    }

    static int alarms(double[] surprises, int from, int to) {
        int count = 0;
        for (int i = from; i < to; i++) {
            count += surprises[i] >= ALARM ? 1 : 0;
        }
        return count;
    }
}
