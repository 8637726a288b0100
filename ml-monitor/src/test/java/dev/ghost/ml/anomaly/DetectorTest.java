package dev.ghost.ml.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.function.IntToDoubleFunction;

import org.junit.jupiter.api.Test;

/** The standard detector on series with one known anomaly each, and on clean ones. */
class DetectorTest {

    static final long STEP = 300_000L;
    static final int LENGTH = 12 * 24 * 12;
    static final int ONSET = LENGTH * 3 / 4;

    /** A request-rate-like series: daily season, 3% noise; {@code change} alters it from the onset on. */
    static double[] series(long seed, IntToDoubleFunction change) {
        Random random = new Random(seed);
        double[] values = new double[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            double daily = Math.sin(2 * Math.PI * i / 288.0);
            values[i] = 1000 * (1 + 0.4 * daily) + 30 * random.nextGaussian() + (i >= ONSET ? change.applyAsDouble(i) : 0);
        }
        return values;
    }

    /** Index of the first alarm at or after {@code from}, or -1. */
    static int firstAlarm(double[] values, int from) {
        AnomalyDetector detector = EnsembleDetector.standard();
        int first = -1;
        for (int i = 0; i < values.length; i++) {
            double score = detector.score(1_500_000_000_000L + i * STEP, values[i]);
            assertThat(score).isBetween(0.0, 1.0);
            if (i >= from && first < 0 && score >= EnsembleDetector.ALARM_THRESHOLD) {
                first = i;
            }
        }
        return first;
    }

    @Test
    void spikeIsReportedAtOnce() {
        double[] values = series(1, i -> i == ONSET ? 400 : 0);
        assertThat(firstAlarm(values, LENGTH / 2)).isEqualTo(ONSET);
    }

    @Test
    void levelShiftIsReportedWithinThreePoints() {
        double[] values = series(2, i -> 250);
        assertThat(firstAlarm(values, LENGTH / 2)).isBetween(ONSET, ONSET + 3);
    }

    /** How many of ten seeds alarm first within [ONSET, ONSET + bound]. */
    static long detectedWithin(int bound, java.util.function.LongFunction<double[]> make) {
        return java.util.stream.LongStream.range(20, 30).filter(seed -> {
            int alarm = firstAlarm(make.apply(seed), LENGTH / 2);
            return alarm >= ONSET && alarm <= ONSET + bound;
        }).count();
    }

    @Test
    void slowDriftIsReportedWithinFiveHours() {
        // 0.2 standard deviations per point: invisible in any single point.
        assertThat(detectedWithin(60, seed -> series(seed, i -> 6.0 * (i - ONSET)))).isGreaterThanOrEqualTo(9);
    }

    @Test
    void dailyPeakMovingBySixHoursIsReportedAtOnce() {
        assertThat(detectedWithin(3, seed -> {
            Random random = new Random(seed);
            double[] values = new double[LENGTH];
            for (int i = 0; i < LENGTH; i++) {
                double daily = Math.sin(2 * Math.PI * i / 288.0 + (i >= ONSET ? Math.PI / 2 : 0));
                values[i] = 1000 * (1 + 0.4 * daily) + 30 * random.nextGaussian();
            }
            return values;
        })).isGreaterThanOrEqualTo(9);
    }

    @Test
    void stuckValueIsReported() {
        assertThat(detectedWithin(40, seed -> {
            double[] values = series(seed, i -> 0);
            for (int i = ONSET; i < ONSET + 200; i++) {
                values[i] = values[ONSET - 1];
            }
            return values;
        })).isGreaterThanOrEqualTo(9);
    }

    @Test
    void cleanSeasonalSeriesRarelyRaiseAnAlarm() {
        long quiet = java.util.stream.LongStream.range(20, 30)
                .filter(seed -> firstAlarm(series(seed, i -> 0), (int) (LENGTH * 0.15)) == -1).count();
        assertThat(quiet).as("clean 12-day series without any alarm, of 10").isGreaterThanOrEqualTo(9);
    }

    @Test
    void generatedSuiteScoresWellTheNabWayAndEachDetectorAddsToIt() {
        List<GeneratedSuite.Series> suite = GeneratedSuite.suite(42, 60);
        double seasonal = NabScorer.best(SuiteRunner.run(suite, SuiteRunner.variants().get("seasonal residual alone"))).score();
        NabScorer.Result standard = NabScorer.best(SuiteRunner.run(suite, EnsembleDetector::standard));
        System.out.printf("generated suite, NAB standard profile: seasonal residual alone %.1f, standard ensemble %.1f at %.6f%n",
                seasonal, standard.score(), standard.threshold());
        assertThat(standard.score()).isGreaterThanOrEqualTo(68).isGreaterThan(seasonal);
        assertThat(standard.threshold()).isGreaterThanOrEqualTo(EnsembleDetector.ALARM_THRESHOLD);
    }
}
