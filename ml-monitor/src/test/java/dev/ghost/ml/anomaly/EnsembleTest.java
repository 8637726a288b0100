package dev.ghost.ml.anomaly;

import static dev.ghost.ml.anomaly.Scenarios.LENGTH;
import static dev.ghost.ml.anomaly.Scenarios.ONSET;
import static dev.ghost.ml.anomaly.Scenarios.START;
import static dev.ghost.ml.anomaly.Scenarios.STEP;
import static dev.ghost.ml.anomaly.Scenarios.WARM_UP;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The standard detector on the scenarios of {@link Scenarios}, and its onset filter and score. */
class EnsembleTest {

    static double[] scores(double[] values) {
        AnomalyDetector detector = EnsembleDetector.standard();
        double[] scores = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            scores[i] = detector.score(START + i * STEP, values[i]);
        }
        return scores;
    }

    static List<Integer> alarms(double[] scores) {
        List<Integer> alarms = new ArrayList<>();
        for (int i = WARM_UP; i < scores.length; i++) {
            if (scores[i] >= EnsembleDetector.ALARM_THRESHOLD) {
                alarms.add(i);
            }
        }
        return alarms;
    }

    @Test
    void eachKindOfChangeIsReportedOnceNearItsOnset() {
        for (double[] values : List.of(Scenarios.spike(2), Scenarios.levelShift(3), Scenarios.frequencyChange(4), Scenarios.goneFlat(5))) {
            double[] scores = scores(values);
            List<Integer> alarms = alarms(scores).stream().filter(i -> i >= ONSET).toList();
            assertThat(alarms).isNotEmpty();
            int onset = alarms.get(0);
            assertThat(onset).isBetween(ONSET, ONSET + 40);
            assertThat(alarms).filteredOn(i -> i > onset && i < onset + EnsembleDetector.REST_POINTS)
                    .as("during the rest period only a distinctly bigger surprise is reported again")
                    .allSatisfy(i -> assertThat(scores[i]).isGreaterThan(scores[onset]));
        }
    }

    /** The alarm level is a tail probability of about one in a thousand; noise gets there, at most twice as often. */
    @Test
    void noiseAloneRarelyAndAFlatLineNeverRaiseAnAlarm() {
        int alarms = 0;
        for (long seed = 1; seed <= 10; seed++) {
            alarms += alarms(scores(Scenarios.noise(seed))).size();
        }
        assertThat(alarms).as("alarms in 17,000 scored points of noise").isLessThanOrEqualTo(34);
        assertThat(alarms(scores(Scenarios.flatLine()))).isEmpty();
    }

    @Test
    void scoresAreInTheUnitIntervalAndTheSameInputGivesTheSameScores() {
        double[] values = Scenarios.levelShift(9);
        double[] first = scores(values);
        assertThat(java.util.Arrays.stream(first).min().orElseThrow()).isGreaterThanOrEqualTo(0.0);
        assertThat(java.util.Arrays.stream(first).max().orElseThrow()).isLessThanOrEqualTo(1.0);
        assertThat(scores(values)).containsExactly(first);
    }

    @Test
    void theScoreRisesWithTheSurpriseWithoutSaturating() {
        assertThat(EnsembleDetector.score(0)).isZero();
        assertThat(EnsembleDetector.score(-2)).isZero();
        assertThat(EnsembleDetector.ALARM_THRESHOLD).isLessThanOrEqualTo(EnsembleDetector.score(EnsembleDetector.ALARM_SURPRISE))
                .isGreaterThan(EnsembleDetector.score(EnsembleDetector.ALARM_SURPRISE - 0.05));
        assertThat(EnsembleDetector.score(30)).isGreaterThan(EnsembleDetector.score(20)).isLessThan(1.0);
        assertThat(EnsembleDetector.score(1000)).isGreaterThan(EnsembleDetector.score(500)).isLessThan(1.0);
    }

    @Test
    void aSeriesThatAlarmsRoutinelyHasItsSurprisesDiscountedACalibratedOneNot() {
        AlarmRate calm = new AlarmRate(3);
        AlarmRate bursty = new AlarmRate(3);
        for (int i = 0; i < 5000; i++) {
            calm.discount(i % 1000 == 0 ? 4 : 1);
            bursty.discount(i % 20 == 0 ? 4 : 1);
        }
        assertThat(calm.discount(5)).isEqualTo(5);
        assertThat(bursty.discount(5)).as("one alarm in 20 points: over a decade more than usual").isLessThan(4);
    }

    @Test
    void theOnsetFilterReportsAnEventOnceUnlessItGrowsDistinctly() {
        OnsetFilter filter = new OnsetFilter(3, 5, 2);
        assertThat(filter.filter(4)).isEqualTo(4);
        assertThat(filter.filter(5)).as("same event, not 2 above the alarm").isLessThan(3);
        assertThat(filter.filter(7)).as("a distinctly bigger event").isEqualTo(7);
        for (int i = 0; i < 5; i++) {
            assertThat(filter.filter(4)).isLessThan(3);
        }
        assertThat(filter.filter(4)).as("after the rest period").isEqualTo(4);
    }
}
