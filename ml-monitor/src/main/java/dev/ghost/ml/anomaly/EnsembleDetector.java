package dev.ghost.ml.anomaly;

import java.util.List;
import java.util.function.Supplier;

/**
 * Several detectors on one series; the point's score is the most confident of their calibrated
 * scores. Each sees a different kind of trouble, and calibration puts them on one scale.
 */
public final class EnsembleDetector implements AnomalyDetector {

    public static final double SHAPE_SHARPNESS = 20;

    private final List<AnomalyDetector> members;
    private final double[] sharpness;

    /** {@code sharpness[i]} raises member i's score to that power: a secondary member must be surer to win. */
    public EnsembleDetector(List<AnomalyDetector> members, double... sharpness) {
        this.members = List.copyOf(members);
        this.sharpness = sharpness.clone();
    }

    @Override
    public double score(long timestampMillis, double value) {
        double score = 0;
        for (int i = 0; i < members.size(); i++) {
            double member = members.get(i).score(timestampMillis, value);
            score = Math.max(score, i < sharpness.length ? Math.pow(member, sharpness[i]) : member);
        }
        return score;
    }

    /**
     * Score at or above which a point is reported as an anomaly: the threshold that scored best on
     * the generated benchmark suite (see the module README), rounded down.
     */
    public static final double ALARM_THRESHOLD = 0.9997;

    /** The detector every GHOST series gets: seasonal residuals, stuck values and shape novelty, reported at onsets. */
    public static AnomalyDetector standard() {
        return new OnsetFilter(new EnsembleDetector(
                List.of(new SeasonalResidualDetector(), new StuckDetector(), new ShapeNoveltyDetector()), 1, 1, SHAPE_SHARPNESS),
                OnsetFilter.DEFAULT_ALARM_LEVEL, OnsetFilter.DEFAULT_REST_POINTS);
    }

    public static Supplier<AnomalyDetector> standardFactory() {
        return EnsembleDetector::standard;
    }
}
