package dev.ghost.ml.anomaly;

import static dev.ghost.ml.anomaly.Scenarios.LENGTH;
import static dev.ghost.ml.anomaly.Scenarios.ONSET;
import static dev.ghost.ml.anomaly.Scenarios.WARM_UP;
import static dev.ghost.ml.anomaly.Scenarios.alarms;
import static dev.ghost.ml.anomaly.Scenarios.firstAlarm;
import static dev.ghost.ml.anomaly.Scenarios.surprises;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Each member of the ensemble on the small generated series of {@link Scenarios}: what it is
 * there to see, and what it must leave to the others. "Flags" means a surprise at the alarm level.
 */
class MembersTest {

    /** Alarming points after the warm-up, summed over ten noise series of 2,000 points (17,000 scored points). */
    static int alarmsOnNoise(java.util.function.Supplier<? extends SurpriseDetector> detectors) {
        return (int) LongStream.rangeClosed(1, 10).map(seed -> alarms(surprises(detectors, Scenarios.noise(seed)), WARM_UP, LENGTH)).sum();
    }

    @Nested
    class ValueRarity {

        @Test
        void flagsASpikeAtOnceAndALevelShiftWithinAFewPoints() {
            assertThat(firstAlarm(surprises(ValueRarityDetector::new, Scenarios.spike(2)), ONSET, LENGTH)).isEqualTo(ONSET);
            assertThat(firstAlarm(surprises(ValueRarityDetector::new, Scenarios.levelShift(3)), ONSET, LENGTH)).isBetween(ONSET, ONSET + 5);
        }

        @Test
        void leavesShapeToOthers_aFrequencyChangeWithinTheRangeIsNotRare() {
            assertThat(firstAlarm(surprises(ValueRarityDetector::new, Scenarios.frequencyChange(4)), WARM_UP, LENGTH)).isEqualTo(-1);
        }

        @Test
        void aFlatLineAndAFrozenValueAreNotRare() {
            assertThat(firstAlarm(surprises(ValueRarityDetector::new, Scenarios.flatLine()), 0, LENGTH)).isEqualTo(-1);
            assertThat(firstAlarm(surprises(ValueRarityDetector::new, Scenarios.goneFlat(5)), ONSET, LENGTH)).isEqualTo(-1);
        }

        /**
         * The alarm level is a tail probability of about one in a thousand: Gaussian noise does
         * produce such values (a new record beyond every earlier value), at most twice as often.
         */
        @Test
        void noiseAlonePassesTheAlarmLevelAboutOnceInAThousandPoints() {
            assertThat(alarmsOnNoise(ValueRarityDetector::new)).isLessThanOrEqualTo(34);
        }

        @Test
        void aValueFarBeyondEverythingSeenIsRarerThanANewExtremeByAHair() {
            double[] far = Scenarios.noise(6);
            double[] near = far.clone();
            double highest = java.util.Arrays.stream(far, 0, ONSET).max().orElseThrow();
            far[ONSET] = highest + 50;
            near[ONSET] = highest + 0.5;
            assertThat(surprises(ValueRarityDetector::new, far)[ONSET]).isGreaterThan(surprises(ValueRarityDetector::new, near)[ONSET] + 5);
        }
    }

    @Nested
    class ContextNovelty {

        @Test
        void flagsASpikeAndAFrequencyChangeAtOnceAndALevelShiftWithinAFewPoints() {
            assertThat(firstAlarm(surprises(ContextNoveltyDetector::new, Scenarios.spike(2)), WARM_UP, LENGTH)).isEqualTo(ONSET);
            assertThat(firstAlarm(surprises(ContextNoveltyDetector::new, Scenarios.frequencyChange(4)), WARM_UP, LENGTH)).isBetween(ONSET, ONSET + 2);
            assertThat(firstAlarm(surprises(ContextNoveltyDetector::new, Scenarios.levelShift(3)), WARM_UP, LENGTH)).isBetween(ONSET, ONSET + 8);
        }

        @Test
        void aPatternThatComesBackIsFamiliarTheSecondTime() {
            double[] values = Scenarios.frequencyChange(7);
            // The fast rhythm for 100 points, the slow one again, then the fast one back.
            double[] original = values.clone();
            for (int i = ONSET + 100; i < ONSET + 250; i++) {
                values[i] = original[i - 400];
            }
            double[] surprise = surprises(ContextNoveltyDetector::new, values);
            assertThat(firstAlarm(surprise, ONSET, ONSET + 100)).isNotEqualTo(-1);
            assertThat(firstAlarm(surprise, ONSET + 260, LENGTH)).isEqualTo(-1);
        }

        @Test
        void aFlatLineIsNoNoveltyAndNoiseAloneNeverAlarms() {
            assertThat(firstAlarm(surprises(ContextNoveltyDetector::new, Scenarios.flatLine()), 0, LENGTH)).isEqualTo(-1);
            assertThat(alarmsOnNoise(ContextNoveltyDetector::new)).isZero();
        }
    }

    @Nested
    class SeasonalResidual {

        @Test
        void flagsASpikeALevelShiftAndAFrequencyChangeAtOnce() {
            assertThat(firstAlarm(surprises(SeasonalResidualDetector::new, Scenarios.spike(2)), ONSET, LENGTH)).isEqualTo(ONSET);
            assertThat(firstAlarm(surprises(SeasonalResidualDetector::new, Scenarios.levelShift(3)), ONSET, LENGTH)).isEqualTo(ONSET);
            assertThat(firstAlarm(surprises(SeasonalResidualDetector::new, Scenarios.frequencyChange(4)), ONSET, LENGTH)).isEqualTo(ONSET);
        }

        @Test
        void aSpikeAtTheSameTimeEveryDayIsFlaggedTheFirstDayOnly() {
            double[] values = Scenarios.noise(8);
            int day = 288;
            for (int first = 3 * day + 40, i = first; i < LENGTH; i += day) {
                values[i] += 60;
            }
            double[] surprise = surprises(SeasonalResidualDetector::new, values);
            assertThat(surprise[3 * day + 40]).isGreaterThanOrEqualTo(Scenarios.ALARM);
            assertThat(surprise[5 * day + 40]).isLessThan(Scenarios.ALARM);
            assertThat(surprise[6 * day + 40]).isLessThan(Scenarios.ALARM);
        }

        @Test
        void aFlatLineIsNoResidual() {
            assertThat(firstAlarm(surprises(SeasonalResidualDetector::new, Scenarios.flatLine()), 0, LENGTH)).isEqualTo(-1);
        }
    }

    @Nested
    class Stuck {

        @Test
        void flagsNoiseThatFreezesButNotALineThatWasAlwaysFlat() {
            assertThat(firstAlarm(surprises(StuckDetector::new, Scenarios.goneFlat(5)), ONSET, LENGTH)).isBetween(ONSET, ONSET + 40);
            assertThat(firstAlarm(surprises(StuckDetector::new, Scenarios.flatLine()), 0, LENGTH)).isEqualTo(-1);
        }

        @Test
        void leavesSpikesShiftsAndRhythmsToOthers() {
            assertThat(firstAlarm(surprises(StuckDetector::new, Scenarios.spike(2)), 0, LENGTH)).isEqualTo(-1);
            assertThat(firstAlarm(surprises(StuckDetector::new, Scenarios.levelShift(3)), 0, LENGTH)).isEqualTo(-1);
            assertThat(firstAlarm(surprises(StuckDetector::new, Scenarios.frequencyChange(4)), 0, LENGTH)).isEqualTo(-1);
            assertThat(alarmsOnNoise(StuckDetector::new)).isZero();
        }
    }
}
