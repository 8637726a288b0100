package dev.ghost.ml.predict;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

class HoltForecasterTest {

    @Test
    void linearFillReachesItsThresholdWithinTenPercentOfTheTrueTime() {
        // A disk filling at 0.5 percentage points a minute, with noise; 90% is 40 minutes away at the end.
        HoltForecaster forecaster = new HoltForecaster();
        Random random = new Random(1);
        long minute = 60_000L;
        double last = 0;
        for (int i = 0; i <= 60; i++) {
            last = 40 + 0.5 * i;
            forecaster.observe(i * minute, last + random.nextGaussian() * 0.3);
        }
        long trueEta = (long) ((90 - last) / 0.5 * minute);
        long eta = forecaster.timeToThreshold(90, true, 3_600_000L);
        assertThat(eta).isBetween((long) (trueEta * 0.9), (long) (trueEta * 1.1));
        assertThat(forecaster.timeToThreshold(90, true, 30 * minute)).as("outside a 30 min horizon").isEqualTo(-1);
        assertThat(forecaster.timeToThreshold(10, false, 3_600_000L)).as("never falls to 10").isEqualTo(-1);
    }

    @Test
    void intervalWidensWithTheHorizonAndContainsTheTruth() {
        HoltForecaster forecaster = new HoltForecaster();
        Random random = new Random(2);
        for (int i = 0; i < 200; i++) {
            forecaster.observe(i * 60_000L, 100 + 0.2 * i + random.nextGaussian());
        }
        HoltForecaster.Forecast near = forecaster.forecast(5 * 60_000L);
        HoltForecaster.Forecast far = forecaster.forecast(60 * 60_000L);
        assertThat(far.high() - far.low()).isGreaterThan(near.high() - near.low());
        double truthAtHour = 100 + 0.2 * (199 + 60);
        assertThat(truthAtHour).isBetween(far.low(), far.high());
    }
}
